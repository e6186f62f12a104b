using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>The points read from one device in one poll, before the outbox numbers them.</summary>
/// <param name="DeviceId">The unified device code of the field device.</param>
/// <param name="Model">The hardware profile model of the device.</param>
/// <param name="Timestamp">When the poll started (UTC).</param>
/// <param name="Points">The decoded points; never empty.</param>
public sealed record DeviceReading(string DeviceId, string? Model, DateTimeOffset Timestamp, IReadOnlyList<PointValue> Points);
