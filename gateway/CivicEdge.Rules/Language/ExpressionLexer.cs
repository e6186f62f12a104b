using System.Globalization;
using System.Text;

namespace CivicEdge.Rules.Language;

/// <summary>
/// Splits an expression into tokens. Numbers are decimal (<c>12</c>, <c>0.05</c>, <c>1e3</c>); a number followed at once
/// by <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> is a duration (<c>30s</c>, <c>5m</c>); strings are in double or single quotes;
/// <c>and</c>, <c>or</c>, <c>not</c>, <c>true</c> and <c>false</c> are words.
/// </summary>
public static class ExpressionLexer
{
    public static IReadOnlyList<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        var i = 0;
        var line = 1;
        var lineStart = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                if (text[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }
                i++;
            }
            var at = new SourcePosition(line, i - lineStart + 1);
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", at));
                return tokens;
            }

            var c = text[i];
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i, at));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                    i++;
                var word = text[start..i];
                var kind = word switch
                {
                    "and" => TokenKind.And,
                    "or" => TokenKind.Or,
                    "not" => TokenKind.Not,
                    "true" => TokenKind.True,
                    "false" => TokenKind.False,
                    _ => TokenKind.Identifier,
                };
                tokens.Add(new Token(kind, word, at));
                continue;
            }
            if (c is '"' or '\'')
            {
                tokens.Add(ReadString(text, ref i, at));
                continue;
            }

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            (TokenKind Kind, int Length) op = (c, next) switch
            {
                ('<', '=') => (TokenKind.LessOrEqual, 2),
                ('>', '=') => (TokenKind.GreaterOrEqual, 2),
                ('=', '=') => (TokenKind.Equal, 2),
                ('!', '=') => (TokenKind.NotEqual, 2),
                ('<', _) => (TokenKind.Less, 1),
                ('>', _) => (TokenKind.Greater, 1),
                ('.', _) => (TokenKind.Dot, 1),
                (',', _) => (TokenKind.Comma, 1),
                ('(', _) => (TokenKind.OpenParen, 1),
                (')', _) => (TokenKind.CloseParen, 1),
                ('+', _) => (TokenKind.Plus, 1),
                ('-', _) => (TokenKind.Minus, 1),
                ('*', _) => (TokenKind.Star, 1),
                ('/', _) => (TokenKind.Slash, 1),
                ('%', _) => (TokenKind.Percent, 1),
                _ => (TokenKind.End, 0),
            };
            if (op.Length == 0)
            {
                var hint = c switch
                {
                    '=' => " (compare with ==)",
                    '&' => " (write and)",
                    '|' => " (write or)",
                    '!' => " (write not, or != to compare)",
                    _ => "",
                };
                throw new ExpressionSyntaxException(at, $"expected a number, a name, an operator or a parenthesis; found '{c}'{hint}");
            }
            tokens.Add(new Token(op.Kind, text.Substring(i, op.Length), at));
            i += op.Length;
        }
    }

    private static Token ReadNumber(string text, ref int i, SourcePosition at)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
            i++;
        if (i < text.Length && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
                i++;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var save = i;
            i++;
            if (i < text.Length && text[i] is '+' or '-')
                i++;
            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                    i++;
            }
            else
            {
                i = save;
            }
        }
        var value = double.Parse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);

        var unitStart = i;
        while (i < text.Length && char.IsAsciiLetter(text[i]))
            i++;
        if (i == unitStart)
            return new Token(TokenKind.Number, text[start..i], at, value);
        var seconds = text[unitStart..i] switch
        {
            "ms" => 0.001,
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            _ => throw new ExpressionSyntaxException(at,
                $"expected a number or a duration such as 30s, 5m, 1h; found '{text[start..i]}' (units are ms, s, m, h, d)"),
        };
        return new Token(TokenKind.Duration, text[start..i], at, value * seconds);
    }

    private static Token ReadString(string text, ref int i, SourcePosition at)
    {
        var quote = text[i];
        i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\n')
                break;
            value.Append(text[i]);
            i++;
        }
        if (i >= text.Length || text[i] != quote)
            throw new ExpressionSyntaxException(at, $"expected a closing {quote} for the string that starts here; found the end of the line");
        i++;
        return new Token(TokenKind.String, value.ToString(), at);
    }
}
