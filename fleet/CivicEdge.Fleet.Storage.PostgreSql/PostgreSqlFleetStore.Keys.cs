using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>People's API keys in the fleet's schema, keyed by their public id; the secret's hash, never the secret.</summary>
public sealed partial class PostgreSqlFleetStore : IApiKeyStore
{
    private const string KeyColumns =
        "id, secret_hash, name, role, tenants, all_tenants, created_at, created_by, expires_at, last_used_at, revoked_at";

    public async Task<bool> AddKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireName(key.Id, nameof(key));
        RequireInitialized();
        await using var command = _dataSource.CreateCommand(
            $"insert into {_s}.api_keys ({KeyColumns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (id) do nothing");
        command.Parameters.Add(Text(key.Id));
        command.Parameters.Add(Text(key.SecretHash));
        command.Parameters.Add(Text(key.Name));
        command.Parameters.Add(Text(key.Role.ToString()));
        command.Parameters.Add(TextArray([.. key.Tenants]));
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = key.AllTenants });
        command.Parameters.Add(Time(TruncateToMilliseconds(key.CreatedAt)));
        command.Parameters.Add(Text(key.CreatedBy));
        command.Parameters.Add(NullableTime(Milliseconds(key.ExpiresAt)));
        command.Parameters.Add(NullableTime(Milliseconds(key.LastUsedAt)));
        command.Parameters.Add(NullableTime(Milliseconds(key.RevokedAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<ApiKey?> FindKeyAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        if (id.Length == 0 || id.Contains('\0', StringComparison.Ordinal))
            return null;
        await using var command = _dataSource.CreateCommand($"select {KeyColumns} from {_s}.api_keys where id = $1");
        command.Parameters.Add(Text(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadApiKey(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select {KeyColumns} from {_s}.api_keys order by created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            keys.Add(ReadApiKey(reader));
        return keys;
    }

    public async Task<bool> RevokeKeyAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        if (id.Length == 0 || id.Contains('\0', StringComparison.Ordinal))
            return false;

        // The first revocation stands: a second one finds revoked_at set and changes nothing.
        await using var command = _dataSource.CreateCommand($"update {_s}.api_keys set revoked_at = $2 where id = $1 and revoked_at is null");
        command.Parameters.Add(Text(id));
        command.Parameters.Add(Time(TruncateToMilliseconds(revokedAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task RecordKeyUseAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        if (id.Length == 0 || id.Contains('\0', StringComparison.Ordinal))
            return;

        // Nodes record uses concurrently and out of order; only a later time moves the mark.
        await using var command = _dataSource.CreateCommand(
            $"update {_s}.api_keys set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at < $2)");
        command.Parameters.Add(Text(id));
        command.Parameters.Add(Time(TruncateToMilliseconds(usedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ApiKey ReadApiKey(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        Enum.Parse<FleetRole>(reader.GetString(3)),
        reader.GetFieldValue<string[]>(4),
        reader.GetBoolean(5),
        ReadTime(reader, 6),
        reader.GetString(7),
        ReadNullableTime(reader, 8),
        ReadNullableTime(reader, 9),
        ReadNullableTime(reader, 10));

    private static DateTimeOffset? Milliseconds(DateTimeOffset? time) => time is { } value ? TruncateToMilliseconds(value) : null;
}
