using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CivicEdge.Simulators.Host;

/// <summary>One simulated device on the bus, written on the command line as <c>unit=N,profile=MODEL</c>.</summary>
internal sealed record DeviceOption(byte Unit, string Model)
{
    public const string Expected = "unit=N,profile=MODEL with a unit 1..247, e.g. unit=2,profile=eastron-sdm630";

    public static bool TryParse(string text, [NotNullWhen(true)] out DeviceOption? device)
    {
        device = null;
        byte? unit = null;
        string? model = null;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                return false;
            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "unit" when byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= 247:
                    unit = id;
                    break;
                case "profile" when value.Length > 0:
                    model = value;
                    break;
                default:
                    return false;
            }
        }

        if (unit is null || model is null)
            return false;
        device = new DeviceOption(unit.Value, model);
        return true;
    }
}
