namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>Orders (device, point) pairs ordinally, as the <c>"C"</c> collation of the tables does.</summary>
internal sealed class OrdinalPairComparer : IComparer<(string First, string Second)>
{
    public static readonly OrdinalPairComparer Instance = new();

    public int Compare((string First, string Second) x, (string First, string Second) y)
    {
        var first = string.CompareOrdinal(x.First, y.First);
        return first != 0 ? first : string.CompareOrdinal(x.Second, y.Second);
    }
}
