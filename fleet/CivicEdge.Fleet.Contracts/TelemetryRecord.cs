namespace CivicEdge.Fleet.Contracts;

/// <summary>One reading of one device: the points read in one poll.</summary>
/// <param name="Seq">The record's sequence number within its source's stream; strictly increasing, starting at 1.</param>
/// <param name="DeviceId">The unified device code of the field device that was read.</param>
/// <param name="Model">The hardware profile model of that device, e.g. <c>eastron-sdm630</c>.</param>
/// <param name="Timestamp">When the device was read (UTC).</param>
/// <param name="Points">The values read.</param>
public sealed record TelemetryRecord(
    long Seq,
    string DeviceId,
    string? Model,
    DateTimeOffset Timestamp,
    IReadOnlyList<PointValue> Points);
