namespace CivicEdge.Benchmarks;

/// <summary>Durable outbox commits: readings of <paramref name="Points"/> points committed in batches of <paramref name="BatchSize"/>.</summary>
internal sealed record OutboxFigures(int Readings, int Points, int BatchSize, double ReadingsPerSecond, double MedianCommitMilliseconds);
