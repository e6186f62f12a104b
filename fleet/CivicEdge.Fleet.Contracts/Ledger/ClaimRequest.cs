namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>The body of <c>POST /api/devices/{id}/claim</c>: an installer on site claims a flashed device.</summary>
public sealed record ClaimRequest
{
    /// <summary>The claim token.</summary>
    public string? Token { get; init; }

    /// <summary>Who installed the device.</summary>
    public string? Installer { get; init; }

    /// <summary>Where it was installed; replaces the registered location field by field.</summary>
    public DeviceLocation? Location { get; init; }

    /// <summary>Issue the device's first password credential with the claim (shown once in the answer).</summary>
    public bool? IssueCredential { get; init; }
}
