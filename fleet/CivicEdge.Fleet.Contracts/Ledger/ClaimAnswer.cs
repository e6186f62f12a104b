namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>A claimed device, any duplicate warnings for its location, and its credential when one was asked for.</summary>
public sealed record ClaimAnswer(LedgerDevice Device, IReadOnlyList<DuplicateWarning> Warnings, IssuedCredential? Credential);
