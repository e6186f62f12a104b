namespace CivicEdge.Gateway.Storage;

/// <summary>Whether the outbox can write.</summary>
public enum StorageCondition
{
    /// <summary>Commits succeed.</summary>
    Healthy,

    /// <summary>The disk is full: readings wait in memory, bounded, and the writer retries.</summary>
    DiskFull,

    /// <summary>Writes fail for another reason (an I/O error, a damaged file): readings wait in memory and the writer retries.</summary>
    WriteFailing,
}
