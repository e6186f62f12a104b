using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Storage;

/// <summary>A record the fleet refused, kept aside with the reason instead of being resent or deleted.</summary>
/// <param name="Stream">The stream the record was numbered in.</param>
/// <param name="Record">The record as it was sent.</param>
/// <param name="Reason">Why the fleet refused it.</param>
/// <param name="QuarantinedAt">When the outbox set it aside (UTC).</param>
public sealed record QuarantinedRecord(string Stream, TelemetryRecord Record, string Reason, DateTimeOffset QuarantinedAt);
