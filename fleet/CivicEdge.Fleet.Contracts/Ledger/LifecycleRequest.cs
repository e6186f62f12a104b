namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>The body of <c>POST /api/devices/{id}/lifecycle</c> (and, without a state, of <c>/decommission</c>).</summary>
public sealed record LifecycleRequest
{
    /// <summary>The state to move to.</summary>
    public LifecycleState? State { get; init; }

    /// <summary>Who moves it.</summary>
    public string? By { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }
}
