using CivicEdge.Fleet.Storage.PostgreSql;

namespace CivicEdge.Fleet.Server;

/// <summary>Which store the fleet keeps its data in, and where (<c>Fleet:Storage</c>).</summary>
public sealed class FleetStorageOptions
{
    public const string Section = "Fleet:Storage";
    public const string LiteDb = "litedb";
    public const string PostgreSql = "postgresql";

    /// <summary><c>litedb</c>: one embedded file, a single fleet node; <c>postgresql</c>: a database any number of nodes share.</summary>
    public string Provider { get; set; } = LiteDb;

    /// <summary>The LiteDB file (provider <c>litedb</c>).</summary>
    public string Path { get; set; } = "civicedge-fleet.db";

    /// <summary>The Npgsql connection string (provider <c>postgresql</c>).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The schema holding the fleet's tables (provider <c>postgresql</c>).</summary>
    public string Schema { get; set; } = new PostgreSqlFleetStoreOptions().Schema;

    /// <summary>Days of telemetry partitions created beyond today (provider <c>postgresql</c>).</summary>
    public int PartitionsAhead { get; set; } = new PostgreSqlFleetStoreOptions().PartitionsAhead;

    /// <summary>True when <see cref="Provider"/> names PostgreSQL (in any case).</summary>
    public bool IsPostgreSql => string.Equals(Provider, PostgreSql, StringComparison.OrdinalIgnoreCase);
}
