namespace CivicEdge.Gateway.Storage;

/// <summary>How much of one stream is waiting for the fleet, for health reports.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Depth">How many records wait for an acknowledgement.</param>
/// <param name="OldestSeq">The sequence number of the oldest waiting record; null when none waits.</param>
/// <param name="OldestTimestamp">When the oldest waiting record was taken; null when none waits.</param>
/// <param name="LastSeq">The last sequence number ever assigned in the stream; 0 before the first record.</param>
/// <param name="Quarantined">How many records of the stream the fleet rejected and the outbox keeps aside.</param>
/// <param name="Dropped">How many records of the stream were ever dropped to make room (kept across restarts).</param>
public sealed record OutboxStatus(
    string Stream,
    long Depth,
    long? OldestSeq,
    DateTimeOffset? OldestTimestamp,
    long LastSeq,
    long Quarantined,
    long Dropped = 0);
