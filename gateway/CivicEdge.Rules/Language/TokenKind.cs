namespace CivicEdge.Rules.Language;

/// <summary>The kinds of token of the rule expression language.</summary>
public enum TokenKind
{
    End,
    Number,
    Duration,
    String,
    Identifier,
    True,
    False,
    And,
    Or,
    Not,
    Dot,
    Comma,
    OpenParen,
    CloseParen,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
