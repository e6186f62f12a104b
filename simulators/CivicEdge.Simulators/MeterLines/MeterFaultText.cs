using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CivicEdge.Hardware;
using CivicEdge.Simulators.Faults;

namespace CivicEdge.Simulators.MeterLines;

/// <summary>
/// A <see cref="MeterFaultRule"/> written on a command line, in the style of <c>civicsim modbus --fault</c>:
/// <c>KIND[=ARG][:CHANCE][@ADDRESS]</c>, e.g. <c>no-answer:0.1</c>, <c>bad-checksum:x5</c>, <c>late=3s@5</c>, <c>gone=30s</c>.
/// </summary>
public static class MeterFaultText
{
    /// <summary>The syntax, for help texts and error messages.</summary>
    public const string Syntax =
        "KIND[=ARG][:CHANCE][@ADDRESS] where KIND is no-answer, bad-checksum, garbage[=BYTES] (default 4), truncated, wrong-address, " +
        "refusal (an error or abnormal reply), late=DURATION or gone=DURATION (the meter disappears that long after start); CHANCE is a " +
        "probability 0..1 per request (default 1) or xN for the next N requests; ADDRESS limits the fault to one meter. " +
        "Examples: no-answer:0.1, bad-checksum:x5, late=3s@5, gone=30s@000012345678";

    private static readonly Dictionary<string, MeterFaultKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["no-answer"] = MeterFaultKind.NoAnswer,
        ["bad-checksum"] = MeterFaultKind.BadChecksum,
        ["checksum"] = MeterFaultKind.BadChecksum,
        ["garbage"] = MeterFaultKind.Garbage,
        ["truncated"] = MeterFaultKind.Truncated,
        ["wrong-address"] = MeterFaultKind.WrongAddress,
        ["refusal"] = MeterFaultKind.Refusal,
        ["error"] = MeterFaultKind.Refusal,
        ["late"] = MeterFaultKind.Late,
        ["gone"] = MeterFaultKind.Gone,
    };

    /// <summary>Parses one rule; on failure <paramref name="error"/> says what was expected and what was found.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out MeterFaultRule? rule, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        rule = null;
        if (!FaultText.TryParse(text, out var parts, out var reason))
            return Fail(reason, out error);
        var address = parts.Target;
        if (address is not null && (address.Length == 0 || !address.All(char.IsAsciiDigit)))
            return Fail($"expected a meter address of digits after '@'; found '{address}'", out error);

        var (rest, argument) = (parts.Kind, parts.Argument);
        if (!Kinds.TryGetValue(rest, out var kind))
            return Fail($"expected a fault kind of no-answer, bad-checksum, garbage, truncated, wrong-address, refusal, late or gone; found '{rest}'", out error);

        var delay = TimeSpan.Zero;
        var bytes = 4;
        switch (kind)
        {
            case MeterFaultKind.Late or MeterFaultKind.Gone:
                if (argument is null || !DurationText.TryParse(argument, out delay) || delay < TimeSpan.Zero)
                    return Fail($"expected {rest}=DURATION ({DurationText.Expected}); found '{argument ?? ""}'", out error);
                break;
            case MeterFaultKind.Garbage when argument is not null:
                if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out bytes) || bytes is < 1 or > 255)
                    return Fail($"expected garbage=BYTES with 1..255 bytes; found '{argument}'", out error);
                break;
            default:
                if (argument is not null)
                    return Fail($"{rest} takes no argument; found '={argument}'", out error);
                break;
        }

        rule = new MeterFaultRule(kind, parts.Probability, parts.Count, address, delay, bytes);
        error = null;
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
