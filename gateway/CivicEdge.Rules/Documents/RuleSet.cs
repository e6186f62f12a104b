namespace CivicEdge.Rules.Documents;

/// <summary>A validated rule set (schema <see cref="RuleSetLoader.SupportedSchema"/>).</summary>
/// <param name="Id">The rule set's name, e.g. <c>pole-lamp-failure</c>.</param>
/// <param name="Version">A positive number that grows with each change the fleet distributes.</param>
/// <param name="Description">What it is for, for people.</param>
/// <param name="Devices">The devices it reads and writes.</param>
/// <param name="VirtualPoints">The points it keeps itself.</param>
/// <param name="Rules">The rules, in file order.</param>
/// <param name="SourceFile">Where it was read from, for error messages.</param>
public sealed record RuleSet(
    string Id,
    int Version,
    string? Description,
    IReadOnlyList<RuleDevice> Devices,
    IReadOnlyList<VirtualPoint> VirtualPoints,
    IReadOnlyList<RuleDefinition> Rules,
    string SourceFile);
