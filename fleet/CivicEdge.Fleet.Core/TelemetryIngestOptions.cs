namespace CivicEdge.Fleet.Core;

/// <summary>Limits the fleet enforces on every telemetry batch it accepts.</summary>
public sealed class TelemetryIngestOptions
{
    /// <summary>The most records one batch may carry; a gateway splits a longer backlog into several batches.</summary>
    public int MaxRecordsPerBatch { get; set; } = 1000;

    /// <summary>The most points one record may carry.</summary>
    public int MaxPointsPerRecord { get; set; } = 256;

    /// <summary>
    /// The longest source id, stream, device id, point name or unit, in characters. Names become keys in the store's
    /// indexes, which bound their size (LiteDB: 1023 bytes per index key).
    /// </summary>
    public int MaxNameLength { get; set; } = 128;

    /// <summary>
    /// How many sources' batches are ingested at once (each source's in order). More lets a store commit several
    /// batches together and keeps acknowledgements flowing while one source's batch is being stored.
    /// </summary>
    public int Concurrency { get; set; } = 32;
}
