using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>The points read from one device in one poll, before the outbox numbers them.</summary>
/// <param name="DeviceId">The unified device code of the field device.</param>
/// <param name="Model">The hardware profile model of the device.</param>
/// <param name="Timestamp">When the poll started (UTC).</param>
/// <param name="Points">The decoded points; never empty.</param>
public sealed record DeviceReading(string DeviceId, string? Model, DateTimeOffset Timestamp, IReadOnlyList<PointValue> Points)
{
    /// <summary>
    /// The outbox stream the reading goes to: <see cref="Streams.Telemetry"/> for routine values,
    /// <see cref="Streams.Billing"/> for billing registers, which are kept longer when the outbox is full.
    /// </summary>
    public string Stream { get; init; } = Streams.Telemetry;
}
