namespace CivicEdge.Rules.Language;

/// <summary>A node of a parsed expression.</summary>
/// <param name="Position">Where the node starts in the expression's text.</param>
public abstract record ExpressionNode(SourcePosition Position);
