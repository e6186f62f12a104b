namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The streams a source numbers its records in. Each stream has its own sequence numbers, its own order and its own
/// place in the source's outbox: when the outbox is full, routine telemetry gives way first, then billing readings;
/// events (alarms) are kept longest.
/// </summary>
public static class Streams
{
    /// <summary>Routine readings: <see cref="TelemetryBatch"/> on <see cref="Topics.Telemetry"/>.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>
    /// Readings of billing registers (energy, volume and heat totals): <see cref="TelemetryBatch"/> on
    /// <see cref="Topics.Telemetry"/>, kept before routine telemetry when the outbox runs out of room.
    /// </summary>
    public const string Billing = "billing";

    /// <summary>Alarms and other device events: <see cref="EventBatch"/> on <see cref="Topics.Events"/>, kept longest.</summary>
    public const string Events = "events";
}
