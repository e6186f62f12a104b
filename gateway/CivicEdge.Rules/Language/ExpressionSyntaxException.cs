namespace CivicEdge.Rules.Language;

/// <summary>An expression cannot be read or does not make sense: says what was expected, what was found and where.</summary>
public sealed class ExpressionSyntaxException : FormatException
{
    public ExpressionSyntaxException(SourcePosition position, string reason)
        : base($"{position}: {reason}")
    {
        Position = position;
        Reason = reason;
    }

    /// <summary>Where in the expression the problem is.</summary>
    public SourcePosition Position { get; }

    /// <summary>The problem without its position.</summary>
    public string Reason { get; }
}
