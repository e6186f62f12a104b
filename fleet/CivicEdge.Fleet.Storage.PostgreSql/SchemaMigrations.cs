using Microsoft.Extensions.Logging;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// The fleet's tables, created and changed by numbered steps applied at start-up. All steps missing from
/// <c>schema_migrations</c> run in one transaction under an advisory lock, so nodes starting together migrate once,
/// and a failed step leaves the schema as it was (PostgreSQL's DDL is transactional).
/// </summary>
internal static partial class SchemaMigrations
{
    /// <summary>The steps, in order. Append new steps; never edit one that has shipped.</summary>
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "telemetry, devices, latest values, events, sources, twins, health", """
            -- A stream's watermark row is locked by every batch of the stream, which makes deduplication hold when
            -- several fleet nodes ingest the same stream at once.
            create table {s}.streams (
                id integer generated always as identity unique,
                source text collate "C" not null,
                stream text collate "C" not null,
                last_seq bigint not null,
                primary key (source, stream));

            create table {s}.devices (
                id text collate "C" primary key,
                model text,
                gateway text collate "C",
                first_seen timestamptz not null,
                last_seen timestamptz not null,
                readings bigint not null);

            -- One row per (device, point): the key samples refer to, its unit and its newest value.
            create table {s}.points (
                id integer generated always as identity primary key,
                device text collate "C" not null,
                point text collate "C" not null,
                unit text not null,
                quantity text,
                value double precision not null,
                quality smallint not null,
                time timestamptz not null,
                unique (device, point));

            -- Partitioned by UTC day (SamplePartitions creates them ahead and on demand); retention drops whole days.
            -- Columns widest first, so rows pack without padding.
            create table {s}.samples (
                time timestamptz not null,
                value double precision not null,
                seq bigint not null,
                point_id integer not null,
                stream_id integer not null,
                quality smallint not null)
                partition by range (time);
            create index samples_point_time on {s}.samples (point_id, time);

            create table {s}.events (
                source text collate "C" not null,
                stream text collate "C" not null,
                seq bigint not null,
                device text collate "C" not null,
                time timestamptz not null,
                code text not null,
                state text not null,
                severity text not null,
                message text not null,
                point text,
                value double precision,
                received timestamptz not null,
                primary key (source, stream, seq));
            create index events_device_time on {s}.events (device, time);
            create index events_time on {s}.events (time);

            create table {s}.sources (
                id text collate "C" primary key,
                online boolean not null,
                version text,
                time timestamptz not null);

            -- Twin states and health reports are kept as the JSON of their contracts (json, not jsonb: read back as sent).
            create table {s}.twins (
                device text collate "C" primary key,
                version bigint not null,
                desired json,
                reported json,
                reported_time timestamptz,
                reported_at timestamptz);

            create table {s}.health (
                source text collate "C" primary key,
                time timestamptz not null,
                report json not null);
            """),
        new(2, "device ledger, credentials, claim tokens, API keys, audit log", """
            -- A device is kept as the JSON of its contract (it reads back exactly as written), with the fields queries
            -- narrow by beside it; the revision makes every change optimistic.
            create table {s}.ledger_devices (
                code text collate "C" primary key,
                revision bigint not null,
                tenant text collate "C" not null,
                gateway text collate "C",
                batch text collate "C",
                latitude double precision,
                device json not null);
            create index ledger_devices_tenant on {s}.ledger_devices (tenant);
            create index ledger_devices_gateway on {s}.ledger_devices (gateway);
            create index ledger_devices_batch on {s}.ledger_devices (batch);
            create index ledger_devices_latitude on {s}.ledger_devices (latitude);

            create table {s}.ledger_credentials (
                id text collate "C" primary key,
                device text collate "C" not null,
                kind text not null,
                password_hash text,
                thumbprint text collate "C",
                issued_at timestamptz not null,
                issued_by text not null,
                valid_until timestamptz,
                revoked_at timestamptz,
                revoked_by text,
                revocation_reason text);
            create index ledger_credentials_device on {s}.ledger_credentials (device, issued_at);
            create index ledger_credentials_thumbprint on {s}.ledger_credentials (thumbprint) where thumbprint is not null;

            create table {s}.ledger_claim_tokens (
                hash text collate "C" primary key,
                device text collate "C",
                batch text collate "C",
                issued_at timestamptz not null,
                issued_by text not null,
                expires_at timestamptz not null,
                claimed text[] collate "C" not null);

            create table {s}.api_keys (
                id text collate "C" primary key,
                secret_hash text not null,
                name text not null,
                role text not null,
                tenants text[] not null,
                all_tenants boolean not null,
                created_at timestamptz not null,
                created_by text not null,
                expires_at timestamptz,
                last_used_at timestamptz,
                revoked_at timestamptz);

            -- Append-only: the store numbers entries without gaps (a gap would read as a deleted entry).
            create table {s}.audit (
                sequence bigint primary key,
                time timestamptz not null,
                actor text not null,
                role text,
                actor_tenants text[] not null,
                action text collate "C" not null,
                target text collate "C",
                tenant text collate "C",
                outcome text not null,
                detail text,
                source_ip text,
                correlation_id text);
            create index audit_time on {s}.audit (time);
            """),
        new(3, "alarms", """
            -- The alarm's JSON as the API shows it, beside the fields queries select by. At most one alarm per
            -- (device, type) is open: the partial unique index refuses a second one, whichever node writes it.
            create table {s}.alarms (
                id bigint generated always as identity primary key,
                device text collate "C" not null,
                type text collate "C" not null,
                open boolean not null,
                state text not null,
                severity smallint not null,
                tenant text collate "C",
                district text,
                revision bigint not null,
                alarm json not null);
            create unique index alarms_open on {s}.alarms (device, type) where open;
            create index alarms_device on {s}.alarms (device, id);
            """),
        new(4, "commands", """
            -- One row per command and target. Delivery reads a gateway's open commands oldest first; lists read a
            -- target's newest. Arguments and results are kept as their JSON text (json, not jsonb: read back as sent).
            create table {s}.commands (
                id text collate "C" primary key,
                target text collate "C" not null,
                addressee text collate "C" not null,
                tenant text,
                name text not null,
                arguments json not null,
                sent_by text not null,
                created_at timestamptz not null,
                expires_at timestamptz not null,
                state text not null,
                reason text,
                result json,
                sent_at timestamptz,
                completed_at timestamptz);
            create index commands_addressee_created on {s}.commands (addressee, created_at, id);
            create index commands_target_created on {s}.commands (target, created_at, id);
            create index commands_state_expiry on {s}.commands (state, expires_at);
            """),
        new(5, "OTA artifacts", """
            -- The signed manifest bytes exactly as uploaded, so the signature can be checked again at any time.
            create table {s}.ota_artifacts (
                id text collate "C" primary key,
                manifest bytea not null,
                signature text not null,
                size bigint not null,
                uploaded_by text not null,
                uploaded_at timestamptz not null);

            -- The payload in fixed-size chunks: a range request reads only the chunks it covers, and no row holds a whole image.
            create table {s}.ota_chunks (
                artifact text collate "C" not null references {s}.ota_artifacts (id) on delete cascade,
                index integer not null,
                data bytea not null,
                primary key (artifact, index));
            """),
        new(6, "OTA campaigns", """
            -- A campaign's whole state as one JSON document, written only at the revision the writer read, so a
            -- person's pause on one node and the leader's scheduler step on another never overwrite each other.
            create table {s}.ota_campaigns (
                id text collate "C" primary key,
                tenant text,
                created_by text not null,
                created_at timestamptz not null,
                revision bigint not null,
                campaign json not null,
                scope json not null);
            create index ota_campaigns_created on {s}.ota_campaigns (created_at desc, id);
            """),
        new(7, "OTA status reports waiting for the campaign leader", """
            -- Appended by whichever node's ingest received the report, read oldest first and deleted by the leader
            -- once the campaign holding it is written, so a report survives that node and reaches the leader.
            create table {s}.ota_status (
                id bigint generated always as identity primary key,
                source text collate "C" not null,
                received_at timestamptz not null,
                report json not null);
            """),
    ];

    /// <summary>Creates the schema if needed and applies every step it lacks.</summary>
    /// <returns>The versions applied now (empty when the schema was up to date).</returns>
    /// <exception cref="InvalidOperationException">The schema was migrated by a newer fleet than this one.</exception>
    public static async Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = $"civicedge:{schema}:migrations" });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"""
            create schema if not exists {schema};
            create table if not exists {schema}.schema_migrations (
                version integer primary key,
                description text not null,
                applied_at timestamptz not null default now());
            """, cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var select = new NpgsqlCommand($"select version from {schema}.schema_migrations", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                applied.Add(reader.GetInt32(0));
        }

        var known = All.Max(migration => migration.Version);
        if (applied.Count > 0 && applied.Max() > known)
        {
            throw new InvalidOperationException(
                $"The fleet schema '{schema}' is at version {applied.Max()}, written by a newer civicedge-fleet; this one knows versions up to {known}. Run the newer version, or point Fleet:Storage:Schema elsewhere.");
        }

        var now = new List<int>();
        foreach (var migration in All.Where(migration => !applied.Contains(migration.Version)).OrderBy(migration => migration.Version))
        {
            await ExecuteAsync(connection, transaction, migration.Sql.Replace("{s}", schema, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand($"insert into {schema}.schema_migrations (version, description) values ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Description });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            now.Add(migration.Version);
            LogApplied(logger, schema, migration.Version, migration.Description);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return now;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet schema {Schema}: applied version {Version} ({Description})")]
    private static partial void LogApplied(ILogger logger, string schema, int version, string description);
}
