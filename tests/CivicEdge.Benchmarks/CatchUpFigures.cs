namespace CivicEdge.Benchmarks;

/// <summary>Records per second delivered from a deep outbox until every one was acknowledged, to one kind of fleet.</summary>
internal sealed record CatchUpFigures(string Fleet, int Records, int Points, double RecordsPerSecond);
