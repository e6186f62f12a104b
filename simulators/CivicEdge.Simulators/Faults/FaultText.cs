using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CivicEdge.Simulators.Faults;

/// <summary>
/// The parts of a fault written on a command line, <c>KIND[=ARG][:CHANCE][@TARGET]</c>, the syntax every simulated
/// bus shares; what a kind, an argument and a target may be is the bus's to say.
/// </summary>
/// <param name="Kind">The fault's name, as written.</param>
/// <param name="Argument">What follows '=', null without one.</param>
/// <param name="Probability">The chance per request, 0..1 (1 when not given).</param>
/// <param name="Count">With <c>xN</c>: the next N requests; null otherwise.</param>
/// <param name="Target">What follows '@' (a unit, a meter's address), null for every one.</param>
public sealed record FaultText(string Kind, string? Argument, double Probability, int? Count, string? Target)
{
    /// <summary>Splits <paramref name="text"/>; on failure <paramref name="error"/> says what was expected and what was found.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out FaultText? parts, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        parts = null;
        var rest = text.Trim();

        string? target = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            target = rest[(at + 1)..];
            rest = rest[..at];
        }

        double probability = 1;
        int? count = null;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var chance = rest[(colon + 1)..];
            rest = rest[..colon];
            if (chance.StartsWith('x') || chance.StartsWith('X'))
            {
                if (!int.TryParse(chance.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    error = $"expected xN with N of at least 1 after ':'; found '{chance}'";
                    return false;
                }

                count = n;
            }
            else if (!double.TryParse(chance, NumberStyles.Float, CultureInfo.InvariantCulture, out probability) || probability is < 0 or > 1)
            {
                error = $"expected a probability 0..1 or xN after ':'; found '{chance}'";
                return false;
            }
        }

        string? argument = null;
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            argument = rest[(equals + 1)..];
            rest = rest[..equals];
        }

        parts = new FaultText(rest, argument, probability, count, target);
        error = null;
        return true;
    }
}
