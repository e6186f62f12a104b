namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// Records of one stream of one source, in sequence order. A batch is the unit the fleet persists and acknowledges:
/// it either stores every new record of the batch or none.
/// </summary>
/// <param name="Source">The unified device code of the gateway (or IP device) that numbered the records.</param>
/// <param name="Stream">The stream the sequence numbers belong to: <see cref="Streams.Telemetry"/> or <see cref="Streams.Billing"/>.</param>
/// <param name="Records">The records, ordered by <see cref="TelemetryRecord.Seq"/>.</param>
public sealed record TelemetryBatch(string Source, string Stream, IReadOnlyList<TelemetryRecord> Records);
