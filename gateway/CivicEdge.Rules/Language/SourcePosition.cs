namespace CivicEdge.Rules.Language;

/// <summary>A place in an expression's text: one-based line and column.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
