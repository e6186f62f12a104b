namespace CivicEdge.Fleet.Contracts;

/// <summary>The answer of <c>GET /api/devices/{id}/telemetry</c>: latest values and a time series per point.</summary>
/// <param name="DeviceId">The unified device code.</param>
/// <param name="From">Start of the series window (inclusive, UTC).</param>
/// <param name="To">End of the series window (inclusive, UTC).</param>
/// <param name="Latest">The newest value of every point the device has reported.</param>
/// <param name="Series">The samples of every point within the window, oldest first.</param>
public sealed record DeviceTelemetry(
    string DeviceId,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<LatestValue> Latest,
    IReadOnlyList<PointSeries> Series);

/// <summary>The newest value of one point.</summary>
/// <param name="Point">The point name.</param>
/// <param name="Value">The value in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit symbol.</param>
/// <param name="Quantity">The physical quantity, if the profile names one.</param>
/// <param name="Quality">How far the value can be trusted.</param>
/// <param name="Timestamp">When it was read (UTC).</param>
/// <param name="Live">
/// True when the value came on the live topic and is newer than anything stored: the gateway is still delivering its
/// backlog, and the value will be stored (numbered) when the backlog reaches it.
/// </param>
public sealed record LatestValue(string Point, double Value, string Unit, string? Quantity, Quality Quality, DateTimeOffset Timestamp, bool Live = false);

/// <summary>The samples of one point.</summary>
public sealed record PointSeries(string Point, string Unit, string? Quantity, IReadOnlyList<Sample> Samples);

/// <summary>One value at one time.</summary>
public sealed record Sample(DateTimeOffset Timestamp, double Value, Quality Quality);
