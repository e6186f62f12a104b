namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>The body of <c>POST /api/devices/{id}/credentials/revoke</c>.</summary>
public sealed record RevocationRequest
{
    /// <summary>The credential to revoke; null revokes every credential of the device.</summary>
    public string? Credential { get; init; }

    /// <summary>Who revokes.</summary>
    public string? By { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }
}
