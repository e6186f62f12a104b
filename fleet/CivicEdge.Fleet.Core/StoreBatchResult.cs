namespace CivicEdge.Fleet.Core;

/// <summary>What <see cref="IFleetStore.StoreBatchAsync"/> did with the records of a batch.</summary>
/// <param name="Stored">Records that were new and are now durable.</param>
/// <param name="Duplicates">Records that had been persisted before and were skipped.</param>
public readonly record struct StoreBatchResult(int Stored, int Duplicates);
