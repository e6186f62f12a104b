using System.Globalization;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Turns the buses and devices of a <see cref="DesiredConfiguration"/> into <see cref="DevicesOptions"/> through the
/// very binding the local file goes through: each JSON object becomes the keys <c>Buses:N:*</c> or <c>Devices:N:*</c>
/// and is bound by <see cref="StrictBinding"/>, so a misspelt key or a value of the wrong type is named, never dropped.
/// </summary>
public static class DesiredConfigurationReader
{
    /// <summary>Reads <paramref name="desired"/>, adding every problem to <paramref name="failures"/>.</summary>
    /// <returns>The options; check <paramref name="failures"/> before using them.</returns>
    public static DevicesOptions Read(DesiredConfiguration desired, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(failures);
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(desired.Buses, DevicesOptions.BusesSectionName, "bus", keys, failures);
        Flatten(desired.Devices, DevicesOptions.SectionName, "device", keys, failures);

        var options = new DevicesOptions();
        try
        {
            StrictBinding.BindDevices(new ConfigurationBuilder().AddInMemoryCollection(keys).Build(), options);
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }

        return options;
    }

    private static void Flatten(IReadOnlyList<JsonElement>? elements, string section, string what, Dictionary<string, string?> keys, List<string> failures)
    {
        if (elements is null)
            return;
        for (var i = 0; i < elements.Count; i++)
        {
            var key = $"{section}:{i}";
            var element = elements[i];
            if (element.ValueKind != JsonValueKind.Object)
            {
                failures.Add($"{key} is {Describe(element)}; expected an object with the {what}'s keys.");
                continue;
            }

            // An element without a key still counts: binding then names its missing Id rather than skipping it.
            keys[key] = null;
            foreach (var property in element.EnumerateObject())
                Add($"{key}:{property.Name}", property.Value, keys);
        }
    }

    private static void Add(string key, JsonElement value, Dictionary<string, string?> keys)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                keys[key] = null;
                foreach (var property in value.EnumerateObject())
                    Add($"{key}:{property.Name}", property.Value, keys);
                break;
            case JsonValueKind.Array:
                keys[key] = null;
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    Add($"{key}:{(index++).ToString(CultureInfo.InvariantCulture)}", item, keys);
                break;
            case JsonValueKind.String:
                keys[key] = value.GetString();
                break;
            case JsonValueKind.Null:
                // Absent, as an empty key is in the configuration file.
                break;
            default:
                // Numbers keep their text (1.5 stays 1.5, so an int key reports it); true and false as in the file.
                keys[key] = value.GetRawText();
                break;
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string '{element.GetString()}'",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };
}
