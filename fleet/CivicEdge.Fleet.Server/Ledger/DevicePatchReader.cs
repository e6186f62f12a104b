using System.Globalization;
using System.Text.Json;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>
/// Reads the body of <c>PATCH /api/devices/{id}</c> as a JSON merge patch (RFC 7396): a field present sets its value
/// (null clears it), a field absent stays, <c>location</c> merges field by field. Unknown fields, and fields that never
/// change this way (code, kind, state), are named in the refusal.
/// </summary>
internal static class DevicePatchReader
{
    private static readonly string[] Fields =
        ["model", "tenant", "location", "gateway", "firmware", "tags", "capabilities", "batch", "installer", "installedAt"];

    private static readonly string[] LocationFields = ["latitude", "longitude", "address", "poleNumber", "district"];

    public static DeviceChanges? Read(JsonElement body, Dictionary<string, List<string>> problems)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            LedgerFields.Add(problems, "body", $"body: expected a JSON object (a merge patch), found {Kind(body)}");
            return null;
        }

        var changes = new DeviceChanges();
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            switch (name)
            {
                case "model":
                    changes = changes with { Model = Text(name, value, problems) };
                    break;
                case "tenant":
                    changes = changes with { Tenant = Text(name, value, problems) };
                    break;
                case "gateway":
                    changes = changes with { Gateway = Text(name, value, problems) };
                    break;
                case "firmware":
                    changes = changes with { Firmware = Text(name, value, problems) };
                    break;
                case "batch":
                    changes = changes with { Batch = Text(name, value, problems) };
                    break;
                case "installer":
                    changes = changes with { Installer = Text(name, value, problems) };
                    break;
                case "installedAt":
                    changes = changes with { InstalledAt = Time(name, value, problems) };
                    break;
                case "tags":
                    changes = changes with { Tags = Labels(name, value, problems) };
                    break;
                case "capabilities":
                    changes = changes with { Capabilities = Labels(name, value, problems) };
                    break;
                case "location":
                    changes = changes with { Location = Location(value, problems) };
                    break;
                case "code" or "kind":
                    LedgerFields.Add(problems, name, $"{name}: expected no change (a device of another {name} is another device: register it), found a new value");
                    break;
                case "state":
                    LedgerFields.Add(problems, name, "state: expected no change here; POST /api/devices/{id}/lifecycle moves a device, recording who and why");
                    break;
                default:
                    LedgerFields.Add(problems, name, $"{name}: expected one of {string.Join(", ", Fields)}, found an unknown field");
                    break;
            }
        }

        return changes;
    }

    private static LocationChanges? Location(JsonElement value, Dictionary<string, List<string>> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new LocationChanges
            {
                Latitude = new(null), Longitude = new(null), Address = new(null), PoleNumber = new(null), District = new(null),
            };
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            LedgerFields.Add(problems, "location", $"location: expected an object or null, found {Kind(value)}");
            return null;
        }

        var changes = new LocationChanges();
        foreach (var property in value.EnumerateObject())
        {
            var field = "location." + property.Name;
            changes = property.Name switch
            {
                "latitude" => changes with { Latitude = Number(field, property.Value, problems) },
                "longitude" => changes with { Longitude = Number(field, property.Value, problems) },
                "address" => changes with { Address = Text(field, property.Value, problems) },
                "poleNumber" => changes with { PoleNumber = Text(field, property.Value, problems) },
                "district" => changes with { District = Text(field, property.Value, problems) },
                _ => Unknown(changes, field, problems),
            };
        }

        return changes;
    }

    private static LocationChanges Unknown(LocationChanges changes, string field, Dictionary<string, List<string>> problems)
    {
        LedgerFields.Add(problems, field, $"{field}: expected one of {string.Join(", ", LocationFields)}, found an unknown field");
        return changes;
    }

    private static FieldChange<string?>? Text(string field, JsonElement value, Dictionary<string, List<string>> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return new(null);
            case JsonValueKind.String:
                return new(value.GetString());
            default:
                LedgerFields.Add(problems, field, $"{field}: expected a string or null, found {Kind(value)}");
                return null;
        }
    }

    private static FieldChange<double?>? Number(string field, JsonElement value, Dictionary<string, List<string>> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return new(null);
            case JsonValueKind.Number:
                return new(value.GetDouble());
            default:
                LedgerFields.Add(problems, field, $"{field}: expected a number of degrees or null, found {Kind(value)}");
                return null;
        }
    }

    private static FieldChange<DateTimeOffset?>? Time(string field, JsonElement value, Dictionary<string, List<string>> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return new(null);
        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return new(time);
        }

        LedgerFields.Add(problems, field, $"{field}: expected an ISO 8601 time such as 2026-11-22T10:00:00Z or null, found {Kind(value)}");
        return null;
    }

    private static FieldChange<IReadOnlyList<string>?>? Labels(string field, JsonElement value, Dictionary<string, List<string>> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return new(null);
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String))
            return new(value.EnumerateArray().Select(item => item.GetString()!).ToList());

        LedgerFields.Add(problems, field, $"{field}: expected an array of strings or null, found {Kind(value)}");
        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string '{LedgerFields.Printable(value.GetString() ?? string.Empty)}'",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array" + (value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String) ? " holding more than strings" : string.Empty),
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
