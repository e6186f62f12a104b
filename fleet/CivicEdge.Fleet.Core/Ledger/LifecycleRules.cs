using System.Collections.Frozen;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// The lifecycle steps that make sense (FR-41): a device is installed before it is commissioned, commissioned before it
/// serves, may go to maintenance from the field and come back to service (or be installed anew after a swap), and may
/// be decommissioned from any state; decommissioning is final.
/// </summary>
public static class LifecycleRules
{
    private static readonly FrozenDictionary<LifecycleState, LifecycleState[]> Next = new Dictionary<LifecycleState, LifecycleState[]>
    {
        [LifecycleState.Registered] = [LifecycleState.Installed, LifecycleState.Decommissioned],
        [LifecycleState.Installed] = [LifecycleState.Commissioned, LifecycleState.Maintenance, LifecycleState.Decommissioned],
        [LifecycleState.Commissioned] = [LifecycleState.InService, LifecycleState.Maintenance, LifecycleState.Decommissioned],
        [LifecycleState.InService] = [LifecycleState.Maintenance, LifecycleState.Decommissioned],
        [LifecycleState.Maintenance] = [LifecycleState.InService, LifecycleState.Installed, LifecycleState.Decommissioned],
        [LifecycleState.Decommissioned] = [],
    }.ToFrozenDictionary();

    public static IReadOnlyList<LifecycleState> AllowedFrom(LifecycleState state) => Next[state];

    public static bool IsAllowed(LifecycleState from, LifecycleState to) => Next[from].Contains(to);
}
