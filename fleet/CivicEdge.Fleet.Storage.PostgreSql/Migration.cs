namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>One step of the schema, applied once per database schema and recorded in <c>schema_migrations</c>.</summary>
/// <param name="Version">Its number; steps apply in ascending order, and a number is never reused.</param>
/// <param name="Description">What it does, kept in the table for operators.</param>
/// <param name="Sql">The statements, with <c>{s}</c> where the schema name goes.</param>
internal sealed record Migration(int Version, string Description, string Sql);
