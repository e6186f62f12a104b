using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace CivicEdge.Fleet.Cli.Commands;

/// <summary>
/// Turns <c>--arg key=value</c> pairs into the command's arguments object: a value that reads as a number, <c>true</c>
/// or <c>false</c> is sent as such, anything else as a string (<c>--arg point=lamp_relay --arg on=true</c>).
/// </summary>
public static class CommandArgumentsParser
{
    /// <summary>The arguments object; null with <paramref name="problem"/> for a pair without <c>=</c> or a key given twice.</summary>
    public static JsonElement? Parse(IReadOnlyList<string> pairs, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        problem = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var pair in pairs)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    problem = $"--arg: expected key=value, found '{pair}'";
                    return null;
                }

                var key = pair[..equals].Trim();
                var value = pair[(equals + 1)..];
                if (!seen.Add(key))
                {
                    problem = $"--arg: expected each key once, found '{key}' twice";
                    return null;
                }

                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                    writer.WriteNumber(key, number);
                else if (value is "true" or "false")
                    writer.WriteBoolean(key, value == "true");
                else
                    writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
