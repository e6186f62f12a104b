namespace CivicEdge.Rules.Language;

/// <summary>
/// Recursive-descent parser of the rule expression language. Precedence, loosest first: <c>or</c>; <c>and</c>;
/// <c>not</c>; comparisons (<c>&lt; &lt;= &gt; &gt;= == !=</c>, not chained); <c>+ -</c>; <c>* / %</c>; unary minus.
/// </summary>
public sealed class ExpressionParser
{
    private readonly IReadOnlyList<Token> _tokens;
    private int _next;

    private ExpressionParser(IReadOnlyList<Token> tokens) => _tokens = tokens;

    /// <summary>Parses a whole expression.</summary>
    /// <exception cref="ExpressionSyntaxException">The text is not an expression; the message gives line and column.</exception>
    public static ExpressionNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ExpressionParser(ExpressionLexer.Tokenize(text));
        if (parser.Peek.Kind == TokenKind.End)
            throw new ExpressionSyntaxException(parser.Peek.Position, "expected an expression; found nothing");
        var node = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
            throw new ExpressionSyntaxException(parser.Peek.Position, $"expected an operator or the end of the expression; found {Describe(parser.Peek)}");
        return node;
    }

    private Token Peek => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Kind == TokenKind.Or)
        {
            var op = Take();
            left = new BinaryExpression(op.Position, TokenKind.Or, left, ParseAnd());
        }
        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Kind == TokenKind.And)
        {
            var op = Take();
            left = new BinaryExpression(op.Position, TokenKind.And, left, ParseNot());
        }
        return left;
    }

    private ExpressionNode ParseNot()
    {
        if (Peek.Kind != TokenKind.Not)
            return ParseComparison();
        var op = Take();
        return new UnaryExpression(op.Position, TokenKind.Not, ParseNot());
    }

    private ExpressionNode ParseComparison()
    {
        var left = ParseSum();
        if (!IsComparison(Peek.Kind))
            return left;
        var op = Take();
        var right = ParseSum();
        if (IsComparison(Peek.Kind))
            throw new ExpressionSyntaxException(Peek.Position, $"expected 'and' between two comparisons (a < b and b < c); found a second comparison {Describe(Peek)}");
        return new BinaryExpression(op.Position, op.Kind, left, right);
    }

    private ExpressionNode ParseSum()
    {
        var left = ParseProduct();
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Take();
            left = new BinaryExpression(op.Position, op.Kind, left, ParseProduct());
        }
        return left;
    }

    private ExpressionNode ParseProduct()
    {
        var left = ParseUnary();
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Take();
            left = new BinaryExpression(op.Position, op.Kind, left, ParseUnary());
        }
        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (Peek.Kind != TokenKind.Minus)
            return ParsePrimary();
        var op = Take();
        return new UnaryExpression(op.Position, TokenKind.Minus, ParseUnary());
    }

    private ExpressionNode ParsePrimary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberLiteral(token.Position, token.Number);
            case TokenKind.Duration:
                return new DurationLiteral(token.Position, token.Number);
            case TokenKind.True or TokenKind.False:
                return new BooleanLiteral(token.Position, token.Kind == TokenKind.True);
            case TokenKind.String:
                return new StringLiteral(token.Position, token.Text);
            case TokenKind.OpenParen:
                var inner = ParseOr();
                Expect(TokenKind.CloseParen, "')' to close the '(' at " + token.Position);
                return inner;
            case TokenKind.Identifier when Peek.Kind == TokenKind.OpenParen:
                Take();
                var arguments = new List<ExpressionNode>();
                if (Peek.Kind != TokenKind.CloseParen)
                {
                    arguments.Add(ParseOr());
                    while (Peek.Kind == TokenKind.Comma)
                    {
                        Take();
                        arguments.Add(ParseOr());
                    }
                }
                Expect(TokenKind.CloseParen, $"',' or ')' to close the call of {token.Text}");
                return new FunctionCall(token.Position, token.Text, arguments);
            case TokenKind.Identifier when Peek.Kind == TokenKind.Dot:
                Take();
                var point = Expect(TokenKind.Identifier, $"a point name after '{token.Text}.'");
                return new PointReference(token.Position, token.Text, point.Text);
            case TokenKind.Identifier:
                return new NameReference(token.Position, token.Text);
            default:
                throw new ExpressionSyntaxException(token.Position, $"expected a number, a device.point, a function call or '('; found {Describe(token)}");
        }
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Peek.Kind != kind)
            throw new ExpressionSyntaxException(Peek.Position, $"expected {what}; found {Describe(Peek)}");
        return Take();
    }

    private static bool IsComparison(TokenKind kind) =>
        kind is TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual or TokenKind.Equal or TokenKind.NotEqual;

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the expression",
        TokenKind.String => $"the string \"{token.Text}\"",
        _ => $"'{token.Text}'",
    };
}
