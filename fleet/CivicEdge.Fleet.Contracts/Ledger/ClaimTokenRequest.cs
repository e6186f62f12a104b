namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>The body of <c>POST /api/claim-tokens</c>: a token for one device or for every device of a batch.</summary>
public sealed record ClaimTokenRequest
{
    /// <summary>The device the token may claim; give this or <see cref="Batch"/>.</summary>
    public string? Device { get; init; }

    /// <summary>The batch whose devices the token may claim, each once.</summary>
    public string? Batch { get; init; }

    /// <summary>How long the token is valid; the fleet's default when absent.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>Who asks for it.</summary>
    public string? By { get; init; }
}
