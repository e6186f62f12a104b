using System.Globalization;
using System.Text.Json;

namespace CivicEdge.Gateway.Commands;

/// <summary>
/// Reads a command's arguments (a JSON object). Numbers and booleans may also come as strings, as a command line sends
/// them (<c>--arg value=40</c>). A missing or unreadable argument is a <see cref="FormatException"/> saying what was
/// expected and what was found.
/// </summary>
public sealed class CommandArguments(JsonElement arguments)
{
    /// <summary>The argument's text, or null when absent.</summary>
    public string? OptionalText(string name) =>
        TryGet(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    public string Text(string name) =>
        OptionalText(name) is { Length: > 0 } text ? text : throw new FormatException($"argument '{name}': expected a point name, found {Found(name)}");

    public double Number(string name)
    {
        if (TryGet(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
                return number;
            if (value.ValueKind == JsonValueKind.String
                && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number))
                return number;
        }

        throw new FormatException($"argument '{name}': expected a number, found {Found(name)}");
    }

    public bool Switch(string name)
    {
        if (TryGet(name, out var value))
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1:
                    return n == 1;
                case JsonValueKind.String:
                    switch (value.GetString()?.Trim().ToLowerInvariant())
                    {
                        case "true" or "on" or "1":
                            return true;
                        case "false" or "off" or "0":
                            return false;
                    }

                    break;
            }
        }

        throw new FormatException($"argument '{name}': expected true/false, on/off or 1/0, found {Found(name)}");
    }

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private string Found(string name) => TryGet(name, out var value) ? value.GetRawText() : "nothing";
}
