using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Faults;

namespace CivicEdge.Simulators.Modbus;

/// <summary>
/// A <see cref="ModbusFaultRule"/> written on a command line: <c>KIND[=ARGUMENT][:CHANCE][@UNIT]</c>, e.g.
/// <c>no-answer:0.1</c>, <c>exception=2:0.05</c>, <c>late=800ms:x3@2</c>, <c>garbage=6</c>.
/// </summary>
public static class FaultRuleText
{
    /// <summary>The syntax, for help texts and error messages.</summary>
    public const string Syntax =
        "KIND[=ARG][:CHANCE][@UNIT] where KIND is no-answer, late=DURATION (e.g. late=800ms), crc-error, wrong-unit, " +
        "exception=CODE (1..127), garbage[=BYTES] (default 4) or second-answer; CHANCE is a probability 0..1 per request " +
        "(default 1) or xN for the next N requests; UNIT limits the fault to one unit (default every unit). " +
        "Examples: no-answer:0.1, exception=2:0.05, garbage:0.2, late=1500ms:x3@2";

    private static readonly Dictionary<string, ModbusFaultKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["no-answer"] = ModbusFaultKind.NoAnswer,
        ["late"] = ModbusFaultKind.LateAnswer,
        ["crc-error"] = ModbusFaultKind.CrcError,
        ["crc"] = ModbusFaultKind.CrcError,
        ["wrong-unit"] = ModbusFaultKind.WrongUnit,
        ["exception"] = ModbusFaultKind.Exception,
        ["garbage"] = ModbusFaultKind.Garbage,
        ["second-answer"] = ModbusFaultKind.SecondAnswer,
    };

    /// <summary>Parses one rule; on failure <paramref name="error"/> says what was expected and what was found.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ModbusFaultRule? rule, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        rule = null;
        if (!FaultText.TryParse(text, out var parts, out var reason))
            return Fail(reason, out error);
        byte? unit = null;
        if (parts.Target is { } target)
        {
            if (!byte.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return Fail($"expected a unit 0..255 after '@'; found '{target}'", out error);
            unit = id;
        }

        var (rest, argument) = (parts.Kind, parts.Argument);
        if (!Kinds.TryGetValue(rest, out var kind))
            return Fail($"expected a fault kind of no-answer, late, crc-error, wrong-unit, exception, garbage or second-answer; found '{rest}'", out error);

        var parsed = new ModbusFaultRule { Kind = kind, Unit = unit, Probability = parts.Probability, Count = parts.Count };
        switch (kind)
        {
            case ModbusFaultKind.LateAnswer:
                if (argument is null || !DurationText.TryParse(argument, out var delay))
                    return Fail($"late: expected late=DURATION with {DurationText.Expected}; found '{argument}'", out error);
                parsed = parsed with { Delay = delay };
                break;
            case ModbusFaultKind.Exception:
                if (argument is null || !byte.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 1 or >= ModbusPdu.ExceptionFlag)
                    return Fail($"exception: expected exception=CODE with a code 1..127 (e.g. exception=2); found '{argument}'", out error);
                parsed = parsed with { ExceptionCode = (ModbusExceptionCode)code };
                break;
            case ModbusFaultKind.Garbage when argument is not null:
                if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length is < 1 or > ModbusPdu.MaxLength)
                    return Fail($"garbage: expected garbage=BYTES with 1..{ModbusPdu.MaxLength} bytes; found '{argument}'", out error);
                parsed = parsed with { GarbageLength = length };
                break;
            case ModbusFaultKind.Garbage:
                break;
            default:
                if (argument is not null)
                    return Fail($"{rest}: expected no '=' argument; found '={argument}'", out error);
                break;
        }

        rule = parsed;
        error = null;
        return true;

        bool Fail(string reason, out string? message)
        {
            message = $"{reason} in fault '{text}'";
            return false;
        }
    }
}
