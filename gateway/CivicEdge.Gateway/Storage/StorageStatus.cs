namespace CivicEdge.Gateway.Storage;

/// <summary>A snapshot of the outbox's ability to store, for the health report.</summary>
/// <param name="Condition">Healthy, disk full or failing.</param>
/// <param name="Since">When the current condition began; null while healthy since start.</param>
/// <param name="LastError">The last write error, for people; null when none occurred.</param>
/// <param name="Buffered">Readings and events held in memory, waiting for the disk.</param>
/// <param name="LostInMemory">
/// Readings and events dropped from the memory queue (it was full while the disk refused writes), per stream, since
/// start; they never got sequence numbers, and are reported to the fleet in an <c>outbox_write_failed</c> event.
/// </param>
/// <param name="Overflowing">True while the outbox is full and drops its oldest records to make room.</param>
/// <param name="Recovery">What opening the outbox file took.</param>
public sealed record StorageStatus(
    StorageCondition Condition,
    DateTimeOffset? Since,
    string? LastError,
    int Buffered,
    IReadOnlyDictionary<string, long> LostInMemory,
    bool Overflowing,
    DatabaseRecovery Recovery);
