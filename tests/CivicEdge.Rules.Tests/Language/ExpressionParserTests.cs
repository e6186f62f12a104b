using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Tests.Language;

[Category("Unit")]
public sealed class ExpressionParserTests
{
    [Test]
    public void And_binds_tighter_than_or_and_comparison_tighter_than_and()
    {
        var node = ExpressionParser.Parse("a.x > 1 or a.y < 2 and not a.z == 3");

        var or = (BinaryExpression)node;
        Assert.That(or.Operator, Is.EqualTo(TokenKind.Or));
        Assert.That(((BinaryExpression)or.Left).Operator, Is.EqualTo(TokenKind.Greater));
        var and = (BinaryExpression)or.Right;
        Assert.That(and.Operator, Is.EqualTo(TokenKind.And));
        Assert.That(and.Right, Is.TypeOf<UnaryExpression>());
        Assert.That(((UnaryExpression)and.Right).Operand, Is.TypeOf<BinaryExpression>().With.Property("Operator").EqualTo(TokenKind.Equal));
    }

    [Test]
    public void Multiplication_binds_tighter_than_addition_and_subtraction_is_left_associative()
    {
        var node = (BinaryExpression)ExpressionParser.Parse("10 - 2 - 3 * 2");

        Assert.That(node.Operator, Is.EqualTo(TokenKind.Minus));
        Assert.That(((BinaryExpression)node.Left).Operator, Is.EqualTo(TokenKind.Minus));
        Assert.That(((BinaryExpression)node.Right).Operator, Is.EqualTo(TokenKind.Star));
    }

    [Test]
    public void Reads_point_references_calls_durations_numbers_booleans_and_strings()
    {
        var call = (FunctionCall)ExpressionParser.Parse("f(meter.flow_rate, 15m, 0.5, 1e3, true, \"pole\")");

        Assert.That(call.Name, Is.EqualTo("f"));
        Assert.That(call.Arguments[0], Is.EqualTo(new PointReference(new SourcePosition(1, 3), "meter", "flow_rate")));
        Assert.That(((DurationLiteral)call.Arguments[1]).Seconds, Is.EqualTo(900));
        Assert.That(((NumberLiteral)call.Arguments[2]).Value, Is.EqualTo(0.5));
        Assert.That(((NumberLiteral)call.Arguments[3]).Value, Is.EqualTo(1000));
        Assert.That(((BooleanLiteral)call.Arguments[4]).Value, Is.True);
        Assert.That(((StringLiteral)call.Arguments[5]).Value, Is.EqualTo("pole"));
    }

    [TestCase("lamp.current <", 1, 15, "expected a number, a device.point, a function call or '('; found the end of the expression")]
    [TestCase("(a.x > 1", 1, 9, "expected ')' to close the '(' at 1:1; found the end of the expression")]
    [TestCase("a.x = 1", 1, 5, "found '=' (compare with ==)")]
    [TestCase("a.x > 1 &&\n a.y", 1, 9, "found '&' (write and)")]
    [TestCase("1 < a.x < 3", 1, 9, "expected 'and' between two comparisons")]
    [TestCase("avg(a.x, 5 min)", 1, 12, "expected ',' or ')' to close the call of avg; found 'min'")]
    [TestCase("a.x > 5q", 1, 7, "expected a number or a duration such as 30s, 5m, 1h; found '5q'")]
    [TestCase("a.x > 1\n  and a.", 2, 9, "expected a point name after 'a.'; found the end of the expression")]
    [TestCase("a.x == 'open", 1, 8, "expected a closing ' for the string")]
    [TestCase("", 1, 1, "expected an expression; found nothing")]
    [TestCase("a.x 3", 1, 5, "expected an operator or the end of the expression; found '3'")]
    public void A_bad_expression_is_refused_with_its_line_column_and_what_was_expected(string text, int line, int column, string message)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(text));

        Assert.That(e.Position, Is.EqualTo(new SourcePosition(line, column)));
        Assert.That(e.Reason, Does.Contain(message));
    }
}
