using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CivicEdge.Fleet.Storage.PostgreSql.Ledger;

/// <summary>
/// The device ledger on PostgreSQL, in the fleet's schema, so that every fleet node shares one ledger. A device is kept
/// as the JSON of its contract (it reads back exactly as written) with its query fields beside it for indexes; queries
/// narrow along one index, then apply <see cref="DeviceQuery.Matches"/>, so every engine answers alike.
/// </summary>
/// <remarks>
/// The tables are created by the fleet store's schema migrations (<see cref="PostgreSqlFleetStore.InitializeAsync"/>),
/// which must have run before this store is used. A change names the revision it read and is applied with
/// <c>where revision = …</c>, so two nodes changing one device never overwrite each other; a claim spends its token and
/// moves the device in one transaction with the token's row locked.
/// </remarks>
public sealed partial class PostgreSqlDeviceLedgerStore : IDeviceLedgerStore, IAsyncDisposable
{
    private const string CredentialColumns =
        "id, device, kind, password_hash, thumbprint, issued_at, issued_by, valid_until, revoked_at, revoked_by, revocation_reason";

    private const string TokenColumns = "hash, device, batch, issued_at, issued_by, expires_at, claimed";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly ILogger<PostgreSqlDeviceLedgerStore> _logger;
    private readonly string _endpoint;

    /// <exception cref="ArgumentException">The connection string cannot be parsed or the schema is not a plain identifier.</exception>
    public PostgreSqlDeviceLedgerStore(PostgreSqlFleetStoreOptions options, ILogger<PostgreSqlDeviceLedgerStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options.ConnectionString));
        if (!PostgreSqlFleetStoreOptions.IsValidSchema(options.Schema))
            throw new ArgumentException($"Expected a lower-case SQL identifier as the schema, found '{options.Schema}'.", nameof(options));

        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = "civicedge-fleet-ledger";
        _dataSource = builder.Build();
        _s = options.Schema;
        _logger = logger;
        _endpoint = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database}";
        LogOpened(_logger, _endpoint, _s);
    }

    public async Task<bool> TryAddDeviceAsync(LedgerDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrEmpty(device.Code);
        await using var command = _dataSource.CreateCommand(
            $"insert into {_s}.ledger_devices (code, revision, tenant, gateway, batch, latitude, device) values ($1, $2, $3, $4, $5, $6, $7) on conflict (code) do nothing");
        AddDeviceParameters(command, device);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<LedgerDevice?> FindDeviceAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!IsStorable(code))
            return null;
        await using var command = _dataSource.CreateCommand($"select device from {_s}.ledger_devices where code = $1");
        command.Parameters.Add(Text(code));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? ToDevice(json, code) : null;
    }

    public async Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var tenants = new Dictionary<string, string>(StringComparer.Ordinal);
        var storable = codes.Where(IsStorable).Distinct(StringComparer.Ordinal).ToArray();
        if (storable.Length == 0)
            return tenants;

        await using var command = _dataSource.CreateCommand($"select code, tenant from {_s}.ledger_devices where code = any($1)");
        command.Parameters.Add(TextArray(storable));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            tenants[reader.GetString(0)] = reader.GetString(1);
        return tenants;
    }

    public async Task<bool> TryUpdateDeviceAsync(LedgerDevice device, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReplaceAsync(connection, null, device, expectedRevision, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<LedgerDevice>> QueryDevicesAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // One index narrows the search; the query's own predicate decides.
        var (where, parameters) = query switch
        {
            { Gateway: { } gateway } => ("where gateway = $1", new NpgsqlParameter[] { Text(gateway) }),
            { Batch: { } batch } => ("where batch = $1", [Text(batch)]),
            { Tenant: { } tenant } => ("where tenant = $1", [Text(tenant)]),
            { Tenants: { } tenants } => ("where tenant = any($1)", [TextArray([.. tenants])]),
            { Within: { } box } => ("where latitude between $1 and $2", [Number(box.MinLatitude), Number(box.MaxLatitude)]),
            _ => (string.Empty, []),
        };

        await using var command = _dataSource.CreateCommand($"select code, device from {_s}.ledger_devices {where} order by code");
        command.Parameters.AddRange(parameters);
        var devices = new List<LedgerDevice>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var device = ToDevice(reader.GetString(1), reader.GetString(0));
            if (query.Matches(device))
                devices.Add(device);
        }

        return devices;
    }

    public async Task AddCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var command = _dataSource.CreateCommand(
            $"insert into {_s}.ledger_credentials ({CredentialColumns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
        AddCredentialParameters(command, credential);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryUpdateCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var command = _dataSource.CreateCommand(
            $"""
            update {_s}.ledger_credentials set device = $2, kind = $3, password_hash = $4, thumbprint = $5, issued_at = $6,
                issued_by = $7, valid_until = $8, revoked_at = $9, revoked_by = $10, revocation_reason = $11
            where id = $1
            """);
        AddCredentialParameters(command, credential);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<DeviceCredential>> ListCredentialsAsync(string device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!IsStorable(device))
            return [];
        await using var command = _dataSource.CreateCommand(
            $"select {CredentialColumns} from {_s}.ledger_credentials where device = $1 order by issued_at, id");
        command.Parameters.Add(Text(device));
        return await ReadCredentialsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DeviceCredential>> ListAllCredentialsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"select {CredentialColumns} from {_s}.ledger_credentials order by device, issued_at, id");
        return await ReadCredentialsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeviceCredential?> FindCredentialByThumbprintAsync(string thumbprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        if (!IsStorable(thumbprint))
            return null;
        await using var command = _dataSource.CreateCommand(
            $"select {CredentialColumns} from {_s}.ledger_credentials where thumbprint = $1 order by issued_at, id limit 1");
        command.Parameters.Add(Text(thumbprint));
        var found = await ReadCredentialsAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task AddClaimTokenAsync(ClaimTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var command = _dataSource.CreateCommand(
            $"insert into {_s}.ledger_claim_tokens ({TokenColumns}) values ($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(Text(token.Hash));
        command.Parameters.Add(Text(token.Device));
        command.Parameters.Add(Text(token.Batch));
        command.Parameters.Add(Time(token.IssuedAt));
        command.Parameters.Add(Text(token.IssuedBy));
        command.Parameters.Add(Time(token.ExpiresAt));
        command.Parameters.Add(TextArray([.. token.Claimed]));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClaimTokenRecord?> FindClaimTokenAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (!IsStorable(hash))
            return null;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTokenAsync(connection, null, hash, forUpdate: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClaimCommit> CommitClaimAsync(
        string tokenHash, LedgerDevice device, long expectedRevision, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(device);
        if (!IsStorable(tokenHash))
            return ClaimCommit.UnknownToken;

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The token's row stays locked to the commit: two installers spending one device token at once, one wins.
        if (await ReadTokenAsync(connection, transaction, tokenHash, forUpdate: true, cancellationToken).ConfigureAwait(false) is not { } token)
            return ClaimCommit.UnknownToken;
        if (at >= token.ExpiresAt)
            return ClaimCommit.Expired;
        if (token.Device is not null ? token.Claimed.Count > 0 : token.Claimed.Contains(device.Code, StringComparer.Ordinal))
            return ClaimCommit.AlreadyUsed;
        if (!await ReplaceAsync(connection, transaction, device, expectedRevision, cancellationToken).ConfigureAwait(false))
            return ClaimCommit.DeviceChanged;

        await using (var spend = new NpgsqlCommand($"update {_s}.ledger_claim_tokens set claimed = claimed || $2 where hash = $1", connection, transaction))
        {
            spend.Parameters.Add(Text(tokenHash));
            spend.Parameters.Add(TextArray([device.Code]));
            await spend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ClaimCommit.Claimed;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        LogClosed(_logger, _endpoint, _s);
    }

    private async Task<bool> ReplaceAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, LedgerDevice device, long expectedRevision, CancellationToken cancellationToken)
    {
        if (!IsStorable(device.Code))
            return false;
        await using var command = new NpgsqlCommand(
            $"update {_s}.ledger_devices set revision = $2, tenant = $3, gateway = $4, batch = $5, latitude = $6, device = $7 where code = $1 and revision = $8",
            connection,
            transaction);
        AddDeviceParameters(command, device);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedRevision });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async Task<ClaimTokenRecord?> ReadTokenAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string hash, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select {TokenColumns} from {_s}.ledger_claim_tokens where hash = $1{(forUpdate ? " for update" : string.Empty)}", connection, transaction);
        command.Parameters.Add(Text(hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        return new ClaimTokenRecord(
            reader.GetString(0),
            NullableText(reader, 1),
            NullableText(reader, 2),
            ReadTime(reader, 3),
            reader.GetString(4),
            ReadTime(reader, 5),
            reader.GetFieldValue<string[]>(6));
    }

    private static async Task<IReadOnlyList<DeviceCredential>> ReadCredentialsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var credentials = new List<DeviceCredential>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            credentials.Add(new DeviceCredential(
                reader.GetString(0),
                reader.GetString(1),
                Enum.Parse<CredentialKind>(reader.GetString(2)),
                NullableText(reader, 3),
                NullableText(reader, 4),
                ReadTime(reader, 5),
                reader.GetString(6),
                NullableTime(reader, 7),
                NullableTime(reader, 8),
                NullableText(reader, 9),
                NullableText(reader, 10)));
        }

        return credentials;
    }

    private static void AddDeviceParameters(NpgsqlCommand command, LedgerDevice device)
    {
        command.Parameters.Add(Text(device.Code));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = device.Revision });
        command.Parameters.Add(Text(device.Tenant));
        command.Parameters.Add(Text(device.Gateway));
        command.Parameters.Add(Text(device.Batch));
        command.Parameters.Add(new NpgsqlParameter<double?> { TypedValue = device.Location?.Latitude, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(device, LedgerJson.Default.LedgerDevice), NpgsqlDbType = NpgsqlDbType.Json });
    }

    private static void AddCredentialParameters(NpgsqlCommand command, DeviceCredential credential)
    {
        command.Parameters.Add(Text(credential.Id));
        command.Parameters.Add(Text(credential.Device));
        command.Parameters.Add(Text(credential.Kind.ToString()));
        command.Parameters.Add(Text(credential.PasswordHash));
        command.Parameters.Add(Text(credential.Thumbprint));
        command.Parameters.Add(Time(credential.IssuedAt));
        command.Parameters.Add(Text(credential.IssuedBy));
        command.Parameters.Add(Time(credential.ValidUntil));
        command.Parameters.Add(Time(credential.RevokedAt));
        command.Parameters.Add(Text(credential.RevokedBy));
        command.Parameters.Add(Text(credential.RevocationReason));
    }

    private static LedgerDevice ToDevice(string json, string code) =>
        JsonSerializer.Deserialize(json, LedgerJson.Default.LedgerDevice)
        ?? throw new InvalidDataException($"The ledger entry {code} is empty.");

    /// <summary>PostgreSQL's text cannot hold NUL: such a key is in no table, and looking it up finds nothing.</summary>
    private static bool IsStorable(string key) => key.Length > 0 && !key.Contains('\0', StringComparison.Ordinal);

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) => new(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    private static NpgsqlParameter<string?> Text(string? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<double> Number(double value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Double };

    private static NpgsqlParameter<string?[]> TextArray(string?[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTime?> Time(DateTimeOffset? value) =>
        new() { TypedValue = value?.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger store on PostgreSQL {Endpoint}, schema {Schema}")]
    private static partial void LogOpened(ILogger logger, string endpoint, string schema);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger store on PostgreSQL {Endpoint}, schema {Schema}, closed")]
    private static partial void LogClosed(ILogger logger, string endpoint, string schema);
}
