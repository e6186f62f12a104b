namespace CivicEdge.Rules.Documents;

/// <summary>A point that exists only in the rule set (<c>virtual.name</c>): rules set it and read it, e.g. a night mode.</summary>
public sealed record VirtualPoint(string Name, double Initial);
