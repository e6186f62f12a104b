namespace CivicEdge.Rules.Language;

/// <summary>One token of an expression.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">The characters it was read from.</param>
/// <param name="Position">Where it starts.</param>
/// <param name="Number">For a number, its value; for a duration, its length in seconds.</param>
public readonly record struct Token(TokenKind Kind, string Text, SourcePosition Position, double Number = 0);
