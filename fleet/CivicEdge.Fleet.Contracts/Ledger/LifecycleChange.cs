namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>One step of a device's lifecycle: who moved it, when and why.</summary>
/// <param name="From">The state before; null for the registration.</param>
/// <param name="To">The state after.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who: a person, or the fleet itself.</param>
/// <param name="Reason">Why.</param>
public sealed record LifecycleChange(LifecycleState? From, LifecycleState To, DateTimeOffset At, string By, string Reason);
