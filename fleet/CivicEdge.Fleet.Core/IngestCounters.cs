namespace CivicEdge.Fleet.Core;

/// <summary>A snapshot of what the ingestor did since it was created.</summary>
/// <param name="BatchesPersisted">Batches acknowledged as persisted.</param>
/// <param name="RecordsStored">Records stored for the first time.</param>
/// <param name="RecordsDuplicate">Records received again and skipped.</param>
/// <param name="BatchesRejected">Batches acknowledged as rejected.</param>
/// <param name="RejectedByCause">Rejected batches per cause; causes never seen are absent.</param>
/// <param name="StatesRecorded">Source states stored.</param>
/// <param name="StatesRejected">Source states refused as malformed or misaddressed.</param>
public sealed record IngestCounters(
    long BatchesPersisted,
    long RecordsStored,
    long RecordsDuplicate,
    long BatchesRejected,
    IReadOnlyDictionary<RejectionCause, long> RejectedByCause,
    long StatesRecorded,
    long StatesRejected);
