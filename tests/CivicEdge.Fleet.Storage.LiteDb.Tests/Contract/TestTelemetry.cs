using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>Readings of a three-phase energy meter behind gateway <c>gw-1</c>, as tests need them.</summary>
internal static class TestTelemetry
{
    public const string Gateway = "gw-1";
    public const string Meter = "meter-1";
    public const string Model = "eastron-sdm630";

    /// <summary>Whole milliseconds, as every store keeps at least.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset ReceivedAt = T0.AddMinutes(5);

    /// <summary>A reading of voltage and energy, taken <paramref name="seq"/> seconds after <see cref="T0"/> unless told.</summary>
    public static TelemetryRecord Reading(
        long seq,
        string deviceId = Meter,
        DateTimeOffset? at = null,
        double voltage = 230.0,
        string? model = Model) =>
        new(
            seq,
            deviceId,
            model,
            at ?? T0.AddSeconds(seq),
            [
                new PointValue("voltage_l1", voltage, "V", "voltage", Quality.Good),
                new PointValue("energy_import", 1000 + seq, "kWh", "energy", Quality.Good),
            ]);

    public static TelemetryBatch Batch(params TelemetryRecord[] records) =>
        new(Gateway, Streams.Telemetry, records);

    public static TelemetryBatch Batch(string sourceId, string stream, params TelemetryRecord[] records) =>
        new(sourceId, stream, records);

    public static TelemetryBatch Seqs(long first, long last) =>
        Batch([.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(seq => Reading(seq))]);

    /// <summary>An alarm of <paramref name="deviceId"/>, <paramref name="seq"/> seconds after <see cref="T0"/>.</summary>
    public static EventRecord Alarm(long seq, string deviceId = Meter) =>
        new(seq, deviceId, T0.AddSeconds(seq), "voltage_l1.high", EventState.Raised, EventSeverity.Major, "Voltage L1 above 253 V", "voltage_l1", 257.5);

    public static EventBatch Events(params EventRecord[] records) => new(Gateway, Streams.Events, records);
}
