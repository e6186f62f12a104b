using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// The rules every ledger field follows, shared by registration, changes and claims. Each problem is added under the
/// field's JSON path (<c>location.latitude</c>, <c>tags[2]</c>) saying what was expected and what was found.
/// </summary>
public static class LedgerFields
{
    public const int MaxNameLength = 128;
    public const int MaxTextLength = 256;
    public const int MaxLabelLength = 64;
    public const int MaxLabels = 32;

    /// <summary>
    /// Codes starting with this are the fleet's own MQTT identities (client ids <c>civicedge-fleet-…</c>): a device
    /// holding one could take over the fleet's session.
    /// </summary>
    public const string ReservedCodePrefix = "civicedge-fleet";

    /// <summary>Checks an optional or required single-line text; returns it trimmed (null when absent or blank and allowed).</summary>
    public static string? Text(string field, string? value, int maxLength, bool required, Dictionary<string, List<string>> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
                Add(problems, field, $"{field}: expected a value, found {(value is null ? "none" : "only white space")}");
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            Add(problems, field, $"{field}: expected at most {maxLength} characters, found {trimmed.Length}");
        else if (trimmed.Any(char.IsControl))
            Add(problems, field, $"{field}: expected text without control characters, found '{Printable(trimmed)}'");
        return trimmed;
    }

    /// <summary>Checks tags or capabilities: each a short label, kept in lower case, duplicates dropped.</summary>
    public static IReadOnlyList<string> Labels(string field, IReadOnlyList<string>? values, Dictionary<string, List<string>> problems)
    {
        if (values is null)
            return [];
        if (values.Count > MaxLabels)
        {
            Add(problems, field, $"{field}: expected at most {MaxLabels} entries, found {values.Count}");
            return [];
        }

        var labels = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var label = Text($"{field}[{i}]", values[i], MaxLabelLength, required: true, problems);
            if (label is not null && !labels.Contains(label.ToLowerInvariant(), StringComparer.Ordinal))
                labels.Add(label.ToLowerInvariant());
        }

        return labels;
    }

    /// <summary>Checks a location: coordinates within WGS 84 ranges and given together, texts of sensible length.</summary>
    public static DeviceLocation? Location(string field, DeviceLocation? location, Dictionary<string, List<string>> problems)
    {
        if (location is null)
            return null;

        if (location.Latitude is { } latitude && (double.IsNaN(latitude) || latitude is < -90 or > 90))
            Add(problems, $"{field}.latitude", $"{field}.latitude: expected degrees from -90 to 90, found {latitude}");
        if (location.Longitude is { } longitude && (double.IsNaN(longitude) || longitude is < -180 or > 180))
            Add(problems, $"{field}.longitude", $"{field}.longitude: expected degrees from -180 to 180, found {longitude}");
        if (location.Latitude.HasValue != location.Longitude.HasValue)
        {
            var missing = location.Latitude.HasValue ? "longitude" : "latitude";
            Add(problems, $"{field}.{missing}", $"{field}.{missing}: expected with {(missing == "latitude" ? "longitude" : "latitude")}, found none");
        }

        var checkedLocation = new DeviceLocation(
            location.Latitude,
            location.Longitude,
            Text($"{field}.address", location.Address, MaxTextLength, required: false, problems),
            Text($"{field}.poleNumber", location.PoleNumber, MaxLabelLength, required: false, problems),
            Text($"{field}.district", location.District, MaxNameLength, required: false, problems));
        return checkedLocation is { Latitude: null, Longitude: null, Address: null, PoleNumber: null, District: null } ? null : checkedLocation;
    }

    public static void Add(Dictionary<string, List<string>> problems, string field, string problem)
    {
        if (!problems.TryGetValue(field, out var list))
            problems[field] = list = [];
        list.Add(problem);
    }

    /// <summary>A value for a message: control characters shown as code points, long values cut.</summary>
    public static string Printable(string value)
    {
        var shown = string.Concat(value.Take(64).Select(character => char.IsControl(character) ? $"U+{(int)character:X4}" : character.ToString()));
        return value.Length > 64 ? shown + "…" : shown;
    }
}
