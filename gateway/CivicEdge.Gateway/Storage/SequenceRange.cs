namespace CivicEdge.Gateway.Storage;

/// <summary>An inclusive range of sequence numbers within one stream.</summary>
public readonly record struct SequenceRange(long First, long Last);
