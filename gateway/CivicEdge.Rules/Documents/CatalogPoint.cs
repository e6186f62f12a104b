namespace CivicEdge.Rules.Documents;

/// <summary>A point a device model offers, as far as rules care.</summary>
/// <param name="Name">The point's name in its profile, e.g. <c>lamp_current</c>.</param>
/// <param name="Writable">Whether the gateway may write it (a relay coil, a set-point register).</param>
/// <param name="Numeric">False for text (nameplate data), which no expression can read.</param>
/// <param name="Unit">The unit of its value, e.g. <c>A</c>.</param>
public sealed record CatalogPoint(string Name, bool Writable, bool Numeric, string Unit);
