using CivicEdge.Rules.Language;

namespace CivicEdge.Rules.Evaluation;

/// <summary>
/// Turns a checked expression into a tree of closures over <see cref="EvaluationContext"/>. Every name is resolved to
/// an array slot here, once, so evaluating is array reads and arithmetic: no allocation, no lookup by name.
/// Conditions are three-valued: 1 true, 0 false, NaN unknown (a point never read or read bad); a comparison with an
/// unknown operand is unknown, <c>false and unknown</c> is false, <c>true or unknown</c> is true.
/// </summary>
internal sealed class ExpressionCompiler
{
    private readonly ISlotMap _slots;

    public ExpressionCompiler(ISlotMap slots) => _slots = slots;

    /// <summary>Whether the expression's value moves with time alone (windows, time since a change, daylight).</summary>
    public static bool DependsOnTime(ExpressionNode node) => node switch
    {
        FunctionCall { Name: "avg" or "rate" or "min_over" or "max_over" or "since_change" or "daylight" } => true,
        FunctionCall call => call.Arguments.Any(DependsOnTime),
        UnaryExpression unary => DependsOnTime(unary.Operand),
        BinaryExpression binary => DependsOnTime(binary.Left) || DependsOnTime(binary.Right),
        _ => false,
    };

    /// <summary>A condition: a point standing alone counts as true when non-zero.</summary>
    public Func<EvaluationContext, double> Condition(ExpressionNode node) => node is PointReference ? Truth(Value(node)) : Value(node);

    public Func<EvaluationContext, double> Value(ExpressionNode node)
    {
        switch (node)
        {
            case NumberLiteral number:
                var constant = number.Value;
                return _ => constant;
            case BooleanLiteral boolean:
                var truth = boolean.Value ? 1.0 : 0.0;
                return _ => truth;
            case PointReference point:
                var slot = _slots.PointSlot(point.Device, point.Point);
                return c => c.Values[slot];
            case UnaryExpression { Operator: TokenKind.Not } not:
                var operand = Condition(not.Operand);
                return c =>
                {
                    var v = operand(c);
                    return double.IsNaN(v) ? double.NaN : v == 0 ? 1 : 0;
                };
            case UnaryExpression minus:
                var negated = Value(minus.Operand);
                return c => -negated(c);
            case BinaryExpression binary:
                return Binary(binary);
            case FunctionCall call:
                return Call(call);
            default:
                throw new ArgumentException($"Cannot compile {node.GetType().Name} at {node.Position}.", nameof(node));
        }
    }

    private Func<EvaluationContext, double> Binary(BinaryExpression binary)
    {
        if (binary.Operator is TokenKind.And or TokenKind.Or)
        {
            var left = Condition(binary.Left);
            var right = Condition(binary.Right);
            if (binary.Operator == TokenKind.And)
            {
                return c =>
                {
                    var l = left(c);
                    if (l == 0)
                        return 0;
                    var r = right(c);
                    if (r == 0)
                        return 0;
                    return double.IsNaN(l) || double.IsNaN(r) ? double.NaN : 1;
                };
            }
            return c =>
            {
                var l = left(c);
                if (l == 1)
                    return 1;
                var r = right(c);
                if (r == 1)
                    return 1;
                return double.IsNaN(l) || double.IsNaN(r) ? double.NaN : 0;
            };
        }

        var a = Value(binary.Left);
        var b = Value(binary.Right);
        // Thresholds move by the active rule's hysteresis (EvaluationContext.Hysteresis): an active "x > 50" with
        // hysteresis 2 stays true until x drops to 48.
        return binary.Operator switch
        {
            TokenKind.Plus => c => a(c) + b(c),
            TokenKind.Minus => c => a(c) - b(c),
            TokenKind.Star => c => a(c) * b(c),
            TokenKind.Slash => c => Divide(a(c), b(c)),
            TokenKind.Percent => c => Remainder(a(c), b(c)),
            TokenKind.Greater => c => Compare(a(c), b(c), (x, y, h) => x > y - h, c.Hysteresis),
            TokenKind.GreaterOrEqual => c => Compare(a(c), b(c), (x, y, h) => x >= y - h, c.Hysteresis),
            TokenKind.Less => c => Compare(a(c), b(c), (x, y, h) => x < y + h, c.Hysteresis),
            TokenKind.LessOrEqual => c => Compare(a(c), b(c), (x, y, h) => x <= y + h, c.Hysteresis),
            TokenKind.Equal => c => Compare(a(c), b(c), (x, y, _) => x == y, 0),
            _ => c => Compare(a(c), b(c), (x, y, _) => x != y, 0),
        };
    }

    private static double Compare(double x, double y, Func<double, double, double, bool> test, double hysteresis) =>
        double.IsNaN(x) || double.IsNaN(y) ? double.NaN : test(x, y, hysteresis) ? 1 : 0;

    /// <summary>Division by zero has no value: unknown rather than infinity, so no rule acts on it.</summary>
    private static double Divide(double x, double y) => y == 0 ? double.NaN : x / y;

    private static double Remainder(double x, double y) => y == 0 ? double.NaN : x % y;

    private Func<EvaluationContext, double> Call(FunctionCall call)
    {
        var args = call.Arguments;
        switch (call.Name)
        {
            case "abs":
                var x = Value(args[0]);
                return c => Math.Abs(x(c));
            case "min" or "max":
                var values = args.Select(Value).ToArray();
                var greatest = call.Name == "max";
                return c =>
                {
                    var result = values[0](c);
                    for (var i = 1; i < values.Length; i++)
                    {
                        var v = values[i](c);
                        result = greatest ? Math.Max(result, v) : Math.Min(result, v);
                    }
                    return result;
                };
            case "avg" or "rate" or "min_over" or "max_over":
                var point = (PointReference)args[0];
                var slot = _slots.PointSlot(point.Device, point.Point);
                var window = (long)(((DurationLiteral)args[1]).Seconds * TimeSpan.TicksPerSecond);
                _slots.KeepWindow(slot, window);
                return call.Name switch
                {
                    "avg" => c => c.Windows[slot]!.Average(c.Now, window),
                    "rate" => c => c.Windows[slot]!.Rate(c.Now, window),
                    "min_over" => c => c.Windows[slot]!.Extreme(c.Now, window, greatest: false),
                    _ => c => c.Windows[slot]!.Extreme(c.Now, window, greatest: true),
                };
            case "since_change":
                var changed = (PointReference)args[0];
                var changedSlot = _slots.PointSlot(changed.Device, changed.Point);
                return c =>
                {
                    var at = c.ChangedAt[changedSlot];
                    return at == EvaluationContext.Never ? double.NaN : (c.Now - at) / (double)TimeSpan.TicksPerSecond;
                };
            case "is_stale":
                var device = args[0] is NameReference name ? name.Name : ((StringLiteral)args[0]).Value;
                var staleSlot = _slots.StaleSlot(device);
                return c => c.Values[staleSlot];
            case "daylight":
                return c => c.Daylight() ? 1 : 0;
            default:
                throw new ArgumentException($"Unknown function {call.Name} at {call.Position}.", nameof(call));
        }
    }

    private static Func<EvaluationContext, double> Truth(Func<EvaluationContext, double> value) => c =>
    {
        var v = value(c);
        return double.IsNaN(v) ? double.NaN : v != 0 ? 1 : 0;
    };
}
