namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// Events of one stream of one source, in sequence order, on <see cref="Topics.Events"/>. Delivered and acknowledged
/// exactly as a <see cref="TelemetryBatch"/>: the fleet answers with a <see cref="DeliveryAck"/> once it persisted them.
/// </summary>
/// <param name="Source">The unified device code of the gateway (or IP device) that numbered the records.</param>
/// <param name="Stream">The stream the sequence numbers belong to: <see cref="Streams.Events"/>.</param>
/// <param name="Records">The records, ordered by <see cref="EventRecord.Seq"/>.</param>
public sealed record EventBatch(string Source, string Stream, IReadOnlyList<EventRecord> Records);
