using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>One stored value of one point, as an export writes it: what, when, in which unit, and the record it came in.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Point">The point name.</param>
/// <param name="Timestamp">When the device was read (UTC).</param>
/// <param name="Value">The value in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit symbol.</param>
/// <param name="Quantity">The physical quantity, if the profile names one.</param>
/// <param name="Quality">How far the value can be trusted.</param>
/// <param name="Source">The gateway (or IP device) that numbered and delivered the record.</param>
/// <param name="Stream">The stream the record came in, e.g. <c>telemetry</c> or <c>billing</c>.</param>
/// <param name="Seq">The record's sequence number in that stream.</param>
public sealed record StoredSample(
    string DeviceId,
    string Point,
    DateTimeOffset Timestamp,
    double Value,
    string Unit,
    string? Quantity,
    Quality Quality,
    string Source,
    string Stream,
    long Seq);
