namespace CivicEdge.Gateway.Storage;

/// <summary>Records the outbox dropped, oldest first, to make room: a run of one stream's sequence numbers.</summary>
/// <param name="Stream">The stream they were numbered in.</param>
/// <param name="FirstSeq">The lowest sequence number dropped.</param>
/// <param name="LastSeq">The highest sequence number dropped; those in between that were still waiting went too.</param>
/// <param name="Count">How many records were dropped.</param>
public sealed record OutboxDrop(string Stream, long FirstSeq, long LastSeq, long Count);
