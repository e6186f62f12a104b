using System.Buffers;
using System.Text;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core.Tests;

/// <summary>Batches of gateway <c>gw-1</c> reading meter <c>meter-1</c>, and their wire form.</summary>
internal static class TestBatches
{
    public const string Gateway = "gw-1";

    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static PointValue Voltage(double value = 230.1) => new("voltage_l1", value, "V", "voltage", Quality.Good);

    public static TelemetryRecord Record(long seq, string deviceId = "meter-1", params PointValue[] points) =>
        new(seq, deviceId, "eastron-sdm630", T0.AddSeconds(seq), points.Length == 0 ? [Voltage()] : points);

    public static TelemetryBatch Batch(params TelemetryRecord[] records) => new(Gateway, Streams.Telemetry, records);

    public static TelemetryBatch Seqs(params long[] seqs) => Batch([.. seqs.Select(seq => Record(seq))]);

    public static ReadOnlySequence<byte> Json(TelemetryBatch batch) =>
        new(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.TelemetryBatch));

    public static EventRecord Alarm(long seq, string deviceId = "meter-1", string code = "voltage_l1.high") =>
        new(seq, deviceId, T0.AddSeconds(seq), code, EventState.Raised, EventSeverity.Major, "Voltage L1 above 253 V", "voltage_l1", 257.5);

    public static EventBatch Events(params EventRecord[] records) => new(Gateway, Streams.Events, records);

    public static ReadOnlySequence<byte> Json(EventBatch batch) =>
        new(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.EventBatch));

    public static ReadOnlySequence<byte> Json(SourceState state) =>
        new(JsonSerializer.SerializeToUtf8Bytes(state, ContractsJson.Default.SourceState));

    public static ReadOnlySequence<byte> Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
