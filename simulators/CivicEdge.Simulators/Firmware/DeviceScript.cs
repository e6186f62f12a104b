using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CivicEdge.Hardware;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// What happens to virtual devices and when, as written on the command line: steps separated by <c>;</c>, each
/// <c>TIME ACTION [ARGUMENT] [@N | @N-M]</c>, e.g. <c>0s flow 600; 30s reverse 120 @2; 1m magnet on @3-5; 2m silent 1</c>.
/// TIME is a duration after start; without <c>@</c> a step applies to every device.
/// </summary>
public sealed class DeviceScript
{
    public const string Syntax = "steps separated by ';', each TIME ACTION [ARGUMENT] [@N or @N-M], e.g. '0s flow 600; 30s reverse 120 @2'";

    private DeviceScript(IReadOnlyList<ScriptStep> steps) => Steps = steps;

    /// <summary>The steps in time order (steps at the same time in the order written).</summary>
    public IReadOnlyList<ScriptStep> Steps { get; }

    public static DeviceScript Empty { get; } = new([]);

    /// <summary>
    /// Parses <paramref name="text"/> for <paramref name="devices"/> devices that understand <paramref name="actions"/>;
    /// on failure <paramref name="error"/> says which step, what was expected and what was found.
    /// </summary>
    public static bool TryParse(string text, int devices, IReadOnlyList<string> actions, [NotNullWhen(true)] out DeviceScript? script, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(actions);
        script = null;
        var steps = new List<ScriptStep>();
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        for (int index = 0; index < parts.Length; index++)
        {
            var part = parts[index];
            if (part.Length == 0)
                continue;
            if (!TryParseStep(part, devices, actions, out var step, out var problem))
            {
                error = $"step {index + 1} '{part}': {problem}";
                return false;
            }

            steps.Add(step);
        }

        script = new DeviceScript([.. steps.OrderBy(s => s.At)]);
        error = null;
        return true;
    }

    private static bool TryParseStep(string text, int devices, IReadOnlyList<string> actions, [NotNullWhen(true)] out ScriptStep? step, [NotNullWhen(false)] out string? error)
    {
        step = null;
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        int first = 1, last = devices;
        if (words.Count > 0 && words[^1].StartsWith('@'))
        {
            if (!TryParseRange(words[^1][1..], devices, out first, out last))
            {
                error = $"expected @N or @N-M with devices 1..{devices}; found '{words[^1]}'";
                return false;
            }

            words.RemoveAt(words.Count - 1);
        }

        if (words.Count is < 2 or > 3)
        {
            error = "expected TIME ACTION [ARGUMENT] [@DEVICES]";
            return false;
        }

        if (!DurationText.TryParse(words[0], out var at) || at < TimeSpan.Zero)
        {
            error = $"expected a time after start, {DurationText.Expected}; found '{words[0]}'";
            return false;
        }

        if (!actions.Contains(words[1], StringComparer.Ordinal))
        {
            error = $"expected an action, one of {string.Join(", ", actions)}; found '{words[1]}'";
            return false;
        }

        step = new ScriptStep(at, words[1], words.Count == 3 ? words[2] : null, first, last);
        error = null;
        return true;
    }

    private static bool TryParseRange(string text, int devices, out int first, out int last)
    {
        var bounds = text.Split('-', 2);
        first = last = 0;
        if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out first))
            return false;
        last = first;
        if (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last))
            return false;
        return first >= 1 && last >= first && last <= devices;
    }
}
