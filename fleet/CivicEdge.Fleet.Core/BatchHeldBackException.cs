namespace CivicEdge.Fleet.Core;

/// <summary>
/// A batch that follows one whose storing failed: storing it now would raise the stream's watermark past the failed
/// records, and the fleet would then take them for duplicates when they come again. It is not acknowledged; the source
/// sends the failed batch again first (it resends unacknowledged batches in order).
/// </summary>
public sealed class BatchHeldBackException(string sourceId, string stream, long firstSeq, long failedSeq)
    : InvalidOperationException($"{sourceId}/{stream}: batch from seq {firstSeq} held back until the batch from seq {failedSeq}, whose storing failed, is stored.")
{
    public string SourceId { get; } = sourceId;

    public string Stream { get; } = stream;

    public long FirstSeq { get; } = firstSeq;

    public long FailedSeq { get; } = failedSeq;
}
