using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CivicEdge.Simulators.Host;

/// <summary>A point held at a fixed value, written on the command line as <c>name=value</c>.</summary>
internal sealed record PinnedPoint(string Point, double Value)
{
    public const string Expected = "name=value with a finite number in invariant notation, e.g. voltage_l1=231.5";

    public static bool TryParse(string text, [NotNullWhen(true)] out PinnedPoint? pin)
    {
        pin = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            return false;
        if (!double.TryParse(text.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            return false;
        pin = new PinnedPoint(text[..equals].Trim(), value);
        return true;
    }
}
