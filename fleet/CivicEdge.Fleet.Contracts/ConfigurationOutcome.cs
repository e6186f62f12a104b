namespace CivicEdge.Fleet.Contracts;

/// <summary>The outcome of the latest configuration a gateway received from one origin.</summary>
/// <param name="Version">The desired version; null for the local file.</param>
/// <param name="Status">Applied, refused or superseded.</param>
/// <param name="Errors">Every problem found, each naming its key (e.g. <c>Devices:1:Unit</c>) or profile line; empty unless refused.</param>
/// <param name="At">When the gateway decided (UTC).</param>
public sealed record ConfigurationOutcome(long? Version, ConfigurationStatus Status, IReadOnlyList<string> Errors, DateTimeOffset At);
