using CivicEdge.Fleet.Core.Ledger;
using Microsoft.Extensions.Primitives;

namespace CivicEdge.Fleet.Server.Health;

/// <summary>Reads the query parameters of the health and alarm endpoints, collecting a problem per bad one.</summary>
internal sealed class HealthQuery(IQueryCollection query, IReadOnlyList<string> known)
{
    public Dictionary<string, string[]> Problems { get; } = CheckKnown(query, known);

    public string? Text(string name)
    {
        StringValues values = query[name];
        if (values.Count == 0)
            return null;
        if (values.Count > 1)
            Problems[name] = [$"{name}: expected one value, found {values.Count}"];
        return string.IsNullOrWhiteSpace(values[0]) ? null : values[0]!.Trim();
    }

    public TEnum? Enumeration<TEnum>(string name)
        where TEnum : struct, Enum
    {
        if (Text(name) is not { } text)
            return null;
        if (LedgerNames.TryParse<TEnum>(text, out var value))
            return value;
        Problems[name] = [$"{name}: expected one of {LedgerNames.All<TEnum>()}, found '{text}'"];
        return null;
    }

    public int Limit(int defaultLimit, int maxLimit)
    {
        if (Text("limit") is not { } text)
            return defaultLimit;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit is >= 1 && limit <= maxLimit)
            return limit;
        Problems["limit"] = [$"limit: expected a whole number from 1 to {maxLimit}, found '{text}'"];
        return defaultLimit;
    }

    private static Dictionary<string, string[]> CheckKnown(IQueryCollection query, IReadOnlyList<string> known)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in query.Keys.Where(name => !known.Contains(name, StringComparer.Ordinal)))
            problems[name] = [$"{name}: expected one of {string.Join(", ", known)}, found an unknown parameter"];
        return problems;
    }
}
