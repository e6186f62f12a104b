namespace CivicEdge.Fleet.Contracts;

/// <summary>Birth and death of a gateway or IP device, retained on <see cref="Topics.State"/>.</summary>
/// <param name="SourceId">The unified device code of the source.</param>
/// <param name="Online">True in the birth message, false in the last will and on a clean shutdown.</param>
/// <param name="Version">The software version the source runs.</param>
/// <param name="Timestamp">When the state was produced (UTC).</param>
public sealed record SourceState(string SourceId, bool Online, string? Version, DateTimeOffset Timestamp);
