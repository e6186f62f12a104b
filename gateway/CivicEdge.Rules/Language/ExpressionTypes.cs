namespace CivicEdge.Rules.Language;

/// <summary>
/// Checks an expression before it is compiled: every name resolves, every operator and function gets the operands
/// it takes. A point's value is a number; a point may also stand alone as a condition (non-zero is true), as a
/// switch state usually does.
/// </summary>
public static class ExpressionTypes
{
    /// <summary>The built-in functions, for error messages and documentation.</summary>
    public const string Functions =
        "abs(x), min(a, b, ...), max(a, b, ...), avg(device.point, 5m), rate(device.point, 1m), min_over(device.point, 1h), " +
        "max_over(device.point, 1h), since_change(device.point), is_stale(device), daylight()";

    /// <summary>The type of <paramref name="node"/>.</summary>
    /// <exception cref="ExpressionSyntaxException">The expression does not make sense; the message names the place.</exception>
    public static ExpressionType Check(ExpressionNode node, IExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node switch
        {
            NumberLiteral => ExpressionType.Number,
            BooleanLiteral => ExpressionType.Boolean,
            StringLiteral => ExpressionType.String,
            DurationLiteral => ExpressionType.Duration,
            NameReference name => throw new ExpressionSyntaxException(name.Position,
                $"expected device.point or a function call; found the bare name '{name.Name}'"),
            PointReference point => CheckPoint(point, scope),
            UnaryExpression { Operator: TokenKind.Not } not => Operand(not, scope, ExpressionType.Boolean, "'not'"),
            UnaryExpression minus => Operand(minus, scope, ExpressionType.Number, "'-'"),
            BinaryExpression binary => CheckBinary(binary, scope),
            FunctionCall call => CheckCall(call, scope),
            _ => throw new ArgumentException($"Unknown expression node {node.GetType().Name}.", nameof(node)),
        };
    }

    /// <summary>Checks that <paramref name="node"/> is a condition (boolean, or a point standing alone).</summary>
    public static void CheckCondition(ExpressionNode node, IExpressionScope scope) =>
        Expect(node, scope, ExpressionType.Boolean, "'when'");

    /// <summary>Checks that <paramref name="node"/> gives a number (a boolean counts as 1 or 0).</summary>
    public static void CheckValue(ExpressionNode node, IExpressionScope scope)
    {
        var type = Check(node, scope);
        if (type is not (ExpressionType.Number or ExpressionType.Boolean))
            throw new ExpressionSyntaxException(node.Position, $"expected a number or a condition as the value; found {Name(type)}");
    }

    private static ExpressionType Operand(UnaryExpression unary, IExpressionScope scope, ExpressionType type, string context)
    {
        Expect(unary.Operand, scope, type, context);
        return type;
    }

    private static ExpressionType CheckPoint(PointReference point, IExpressionScope scope)
    {
        var problem = scope.CheckDevice(point.Device) ?? scope.CheckPoint(point.Device, point.Point);
        if (problem is not null)
            throw new ExpressionSyntaxException(point.Position, problem);
        return ExpressionType.Number;
    }

    private static ExpressionType CheckBinary(BinaryExpression binary, IExpressionScope scope)
    {
        var symbol = binary.Operator switch
        {
            TokenKind.And => "and",
            TokenKind.Or => "or",
            TokenKind.Plus => "+",
            TokenKind.Minus => "-",
            TokenKind.Star => "*",
            TokenKind.Slash => "/",
            TokenKind.Percent => "%",
            TokenKind.Less => "<",
            TokenKind.LessOrEqual => "<=",
            TokenKind.Greater => ">",
            TokenKind.GreaterOrEqual => ">=",
            TokenKind.Equal => "==",
            _ => "!=",
        };
        switch (binary.Operator)
        {
            case TokenKind.And or TokenKind.Or:
                Expect(binary.Left, scope, ExpressionType.Boolean, $"'{symbol}'");
                Expect(binary.Right, scope, ExpressionType.Boolean, $"'{symbol}'");
                return ExpressionType.Boolean;
            case TokenKind.Equal or TokenKind.NotEqual:
                var left = Check(binary.Left, scope);
                var right = Check(binary.Right, scope);
                if (left is not (ExpressionType.Number or ExpressionType.Boolean) || right is not (ExpressionType.Number or ExpressionType.Boolean))
                {
                    var bad = left is ExpressionType.Number or ExpressionType.Boolean ? binary.Right : binary.Left;
                    throw new ExpressionSyntaxException(bad.Position,
                        $"expected numbers or conditions on both sides of '{symbol}'; found {Name(left)} {symbol} {Name(right)}");
                }
                return ExpressionType.Boolean;
            case TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual:
                Expect(binary.Left, scope, ExpressionType.Number, $"'{symbol}'");
                Expect(binary.Right, scope, ExpressionType.Number, $"'{symbol}'");
                return ExpressionType.Boolean;
            default:
                Expect(binary.Left, scope, ExpressionType.Number, $"'{symbol}'");
                Expect(binary.Right, scope, ExpressionType.Number, $"'{symbol}'");
                return ExpressionType.Number;
        }
    }

    private static ExpressionType CheckCall(FunctionCall call, IExpressionScope scope)
    {
        var args = call.Arguments;
        switch (call.Name)
        {
            case "abs":
                Arity(call, 1, 1, "abs(x)");
                Expect(args[0], scope, ExpressionType.Number, "abs");
                return ExpressionType.Number;
            case "min" or "max":
                Arity(call, 2, int.MaxValue, $"{call.Name}(a, b, ...)");
                foreach (var arg in args)
                    Expect(arg, scope, ExpressionType.Number, call.Name);
                return ExpressionType.Number;
            case "avg" or "rate" or "min_over" or "max_over":
                Arity(call, 2, 2, $"{call.Name}(device.point, 5m)");
                PointArgument(call, scope);
                if (args[1] is not DurationLiteral window || window.Seconds <= 0)
                    throw new ExpressionSyntaxException(args[1].Position, $"expected a window such as 30s, 5m or 1h as the second argument of {call.Name}; found {Show(args[1], scope)}");
                return ExpressionType.Number;
            case "since_change":
                Arity(call, 1, 1, "since_change(device.point)");
                PointArgument(call, scope);
                return ExpressionType.Number;
            case "is_stale":
                Arity(call, 1, 1, "is_stale(device)");
                var device = args[0] switch
                {
                    NameReference name => name.Name,
                    StringLiteral text => text.Value,
                    _ => throw new ExpressionSyntaxException(args[0].Position, $"expected a device name as the argument of is_stale; found {Show(args[0], scope)}"),
                };
                if (scope.CheckDevice(device) is { } problem)
                    throw new ExpressionSyntaxException(args[0].Position, problem);
                return ExpressionType.Boolean;
            case "daylight":
                Arity(call, 0, 0, "daylight()");
                return ExpressionType.Boolean;
            default:
                throw new ExpressionSyntaxException(call.Position, $"expected one of the functions {Functions}; found '{call.Name}'");
        }
    }

    private static void PointArgument(FunctionCall call, IExpressionScope scope)
    {
        if (call.Arguments[0] is not PointReference point)
            throw new ExpressionSyntaxException(call.Arguments[0].Position, $"expected device.point as the first argument of {call.Name}; found {Show(call.Arguments[0], scope)}");
        CheckPoint(point, scope);
    }

    private static void Arity(FunctionCall call, int min, int max, string form)
    {
        if (call.Arguments.Count < min || call.Arguments.Count > max)
            throw new ExpressionSyntaxException(call.Position, $"expected {form}; found {call.Arguments.Count} argument(s)");
    }

    private static ExpressionType Expect(ExpressionNode node, IExpressionScope scope, ExpressionType wanted, string context)
    {
        var type = Check(node, scope);
        if (type == wanted || (wanted == ExpressionType.Boolean && node is PointReference))
            return type;
        throw new ExpressionSyntaxException(node.Position, $"expected {Name(wanted)} for {context}; found {Name(type)}");
    }

    private static string Show(ExpressionNode node, IExpressionScope scope) => node switch
    {
        PointReference p => $"the point {p}",
        NameReference n => $"the name '{n.Name}'",
        _ => Name(Check(node, scope)),
    };

    private static string Name(ExpressionType type) => type switch
    {
        ExpressionType.Number => "a number",
        ExpressionType.Boolean => "a condition (true or false)",
        ExpressionType.Duration => "a duration",
        ExpressionType.String => "a string",
        _ => "a device",
    };
}
