namespace CivicEdge.Fleet.Contracts;

/// <summary>The volume the gateway's database lives on.</summary>
/// <param name="Path">The database file.</param>
/// <param name="FreeBytes">Space the gateway may still use; null when the volume cannot be queried.</param>
/// <param name="TotalBytes">The volume's size; null when the volume cannot be queried.</param>
/// <param name="Condition">Whether the outbox can write.</param>
/// <param name="Since">When the current condition began; null while healthy since start.</param>
/// <param name="LastError">The last write error, for people; null when none occurred.</param>
/// <param name="Buffered">Readings and events held in memory while the disk refuses writes.</param>
public sealed record DiskHealth(
    string Path,
    long? FreeBytes,
    long? TotalBytes,
    DiskCondition Condition = DiskCondition.Healthy,
    DateTimeOffset? Since = null,
    string? LastError = null,
    int Buffered = 0);
