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
public sealed record LatestValue(string Point, double Value, string Unit, string? Quantity, Quality Quality, DateTimeOffset Timestamp);

/// <summary>The samples of one point.</summary>
public sealed record PointSeries(string Point, string Unit, string? Quantity, IReadOnlyList<Sample> Samples);

/// <summary>One value at one time.</summary>
public sealed record Sample(DateTimeOffset Timestamp, double Value, Quality Quality);
