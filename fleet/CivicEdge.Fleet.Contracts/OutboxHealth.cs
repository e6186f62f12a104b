namespace CivicEdge.Fleet.Contracts;

/// <summary>One stream of the gateway's outbox: what waits for the fleet's acknowledgement.</summary>
/// <param name="Stream">The stream, e.g. <see cref="Streams.Telemetry"/>.</param>
/// <param name="Depth">Records waiting.</param>
/// <param name="OldestAgeSeconds">How long ago the oldest waiting record was taken; null when none waits.</param>
/// <param name="LastSeq">The last sequence number assigned; 0 before the first record.</param>
/// <param name="Delivered">Records that left the outbox because the fleet persisted them.</param>
/// <param name="Quarantined">Records the fleet refused, kept aside.</param>
/// <param name="Dropped">Records dropped to make room while the outbox was full (counted, and reported as events).</param>
public sealed record OutboxHealth(string Stream, long Depth, double? OldestAgeSeconds, long LastSeq, long Delivered, long Quarantined, long Dropped = 0);
