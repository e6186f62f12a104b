namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>What a revocation did: the credentials revoked and the broker sessions cut.</summary>
public sealed record RevocationAnswer(IReadOnlyList<CredentialSummary> Revoked, int SessionsClosed);
