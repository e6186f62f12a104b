using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>Telemetry batches for security tests: valid ones, so that any refusal is the broker's, not the ingest's.</summary>
internal static class Batches
{
    public static TelemetryBatch Of(string source, string device, long seq) =>
        new(source, Streams.Telemetry, [new TelemetryRecord(seq, device, "eastron-sdm630", DateTimeOffset.UtcNow.AddSeconds(-1), [new PointValue("voltage_l1", 230, "V", "voltage", Quality.Good)])]);
}
