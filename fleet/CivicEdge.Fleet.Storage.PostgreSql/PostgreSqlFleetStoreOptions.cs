using System.Text.RegularExpressions;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>Where the PostgreSQL fleet store keeps its data.</summary>
public sealed partial class PostgreSqlFleetStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=civicedge;Username=fleet;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds the fleet's tables, created if missing. Several fleets (or test runs) can share one
    /// database in schemas of their own.
    /// </summary>
    public string Schema { get; set; } = "civicedge";

    /// <summary>How many UTC days of telemetry partitions exist beyond today, so that midnight needs no DDL.</summary>
    public int PartitionsAhead { get; set; } = 2;

    /// <summary>True when <paramref name="schema"/> is a plain lower-case SQL identifier, safe to splice into statements.</summary>
    public static bool IsValidSchema(string? schema) => schema is not null && SchemaPattern().IsMatch(schema);

    /// <summary>PostgreSQL identifiers are at most 63 bytes (NAMEDATALEN - 1); lower case needs no quoting rules.</summary>
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();
}
