namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>A field a change sets: to <see cref="Value"/>, which may be null to clear it (RFC 7396 merge patch).</summary>
public sealed record FieldChange<T>(T Value);
