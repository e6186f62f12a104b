using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Storage;

/// <summary>A record the fleet refused, kept aside with the reason instead of being resent or deleted.</summary>
/// <param name="Stream">The stream the record was numbered in.</param>
/// <param name="Seq">Its sequence number.</param>
/// <param name="Record">The reading as it was sent; null for an event.</param>
/// <param name="Event">The event as it was sent; null for a reading.</param>
/// <param name="Reason">Why the fleet refused it.</param>
/// <param name="QuarantinedAt">When the outbox set it aside (UTC).</param>
public sealed record QuarantinedRecord(string Stream, long Seq, TelemetryRecord? Record, EventRecord? Event, string Reason, DateTimeOffset QuarantinedAt);
