namespace CivicEdge.Rules.Language;

/// <summary>The type of an expression or of a function's argument.</summary>
public enum ExpressionType
{
    Number,
    Boolean,
    Duration,
    String,
    Device,
}
