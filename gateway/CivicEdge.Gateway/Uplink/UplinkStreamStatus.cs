namespace CivicEdge.Gateway.Uplink;

/// <summary>Delivery of one stream since start.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Sent">Records published for the first time.</param>
/// <param name="Resent">Records published again because their acknowledgement did not come in time or the link broke.</param>
/// <param name="Acknowledged">Records the fleet acknowledged as persisted.</param>
/// <param name="Rejected">Records the fleet refused (now in the quarantine).</param>
/// <param name="Live">Records published on the live topic.</param>
/// <param name="Backlog">Records waiting in the outbox; null when the outbox cannot be read.</param>
/// <param name="OldestWaiting">When the oldest waiting record was taken; null when none waits.</param>
public sealed record UplinkStreamStatus(
    string Stream,
    long Sent,
    long Resent,
    long Acknowledged,
    long Rejected,
    long Live,
    long? Backlog,
    DateTimeOffset? OldestWaiting);
