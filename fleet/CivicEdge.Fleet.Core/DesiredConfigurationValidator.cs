using System.Text.Json;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Reads the body of <c>PUT /api/devices/{id}/twin/desired</c>: a JSON object with <c>devices</c> (required),
/// <c>buses</c> and <c>profiles</c> (optional), each an array. It checks the shape the fleet can check — objects with
/// single values, device and bus ids present and distinct, profiles as YAML text — and leaves the rest (keys, profiles,
/// endpoints) to the gateway, which validates it as it validates its own file and reports back what it refused. Pure;
/// every problem is named by its place, e.g. <c>devices[2].id</c>.
/// </summary>
public static class DesiredConfigurationValidator
{
    /// <summary>The largest body accepted: a desired state is one retained MQTT message.</summary>
    public const int MaxBytes = 256 * 1024;

    private static readonly string[] TopLevel = ["buses", "devices", "profiles"];

    /// <summary>Reads <paramref name="body"/>; null with <paramref name="problems"/> (place → messages) when it is not acceptable.</summary>
    public static DesiredConfiguration? Read(ReadOnlyMemory<byte> body, out Dictionary<string, string[]> problems)
    {
        problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Length > MaxBytes)
        {
            Add(problems, "body", $"expected at most {MaxBytes} bytes, found {body.Length}");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column ? $" at line {line + 1}, byte {column + 1}" : "";
            Add(problems, "body", $"expected a JSON object{where}, found invalid JSON: {ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Add(problems, "body", $"expected a JSON object with devices, buses and profiles, found {Kind(root)}");
                return null;
            }

            foreach (var property in root.EnumerateObject().Where(p => !TopLevel.Contains(p.Name, StringComparer.Ordinal)))
                Add(problems, property.Name, $"expected only {string.Join(", ", TopLevel)}, found '{property.Name}'");

            var buses = Objects(root, "buses", required: false, problems);
            var devices = Objects(root, "devices", required: true, problems);
            var profiles = Profiles(root, problems);
            RequireIds(buses, "buses", "a bus id such as rs485-1", problems);
            RequireIds(devices, "devices", "the device's unified device code", problems);
            return problems.Count > 0 ? null : new DesiredConfiguration(buses, devices, profiles);
        }
    }

    private static List<JsonElement> Objects(JsonElement root, string name, bool required, Dictionary<string, string[]> problems)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required)
                Add(problems, name, "expected an array of objects, found none");
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Add(problems, name, $"expected an array of objects, found {Kind(array)}");
            return [];
        }

        var items = new List<JsonElement>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var where = $"{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                Add(problems, where, $"expected an object, found {Kind(item)}");
                continue;
            }

            foreach (var property in item.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
                Add(problems, $"{where}.{property.Name}", $"expected a single value (string, number or true/false), found {Kind(property.Value)}");
            items.Add(item.Clone());
        }

        return items;
    }

    private static List<string> Profiles(JsonElement root, Dictionary<string, string[]> problems)
    {
        if (!root.TryGetProperty("profiles", out var array) || array.ValueKind == JsonValueKind.Null)
            return [];
        if (array.ValueKind != JsonValueKind.Array)
        {
            Add(problems, "profiles", $"expected an array of profile YAML texts, found {Kind(array)}");
            return [];
        }

        var texts = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var where = $"profiles[{index++}]";
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                texts.Add(item.GetString()!);
            else
                Add(problems, where, $"expected a hardware profile as YAML text, found {Kind(item)}");
        }

        return texts;
    }

    private static void RequireIds(List<JsonElement> items, string name, string what, Dictionary<string, string[]> problems)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var id = items[i].EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase));
            var where = $"{name}[{i}].id";
            if (id.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.Value.GetString()))
                Add(problems, where, $"expected {what}, found {(id.Value.ValueKind == JsonValueKind.Undefined ? "none" : Kind(id.Value))}");
            else if (!first.TryAdd(id.Value.GetString()!, i))
                Add(problems, where, $"expected every id once, found '{id.Value.GetString()}' again (first at {name}[{first[id.Value.GetString()!]}])");
        }
    }

    private static void Add(Dictionary<string, string[]> problems, string where, string message) =>
        problems[where] = problems.TryGetValue(where, out var held) ? [.. held, $"{where}: {message}"] : [$"{where}: {message}"];

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string '{element.GetString()}'",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };
}
