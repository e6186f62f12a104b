using System.Text.Json;
using CivicEdge.Fleet.Core.Ota;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// OTA campaigns in <c>ota_campaigns</c>: one row per campaign with its state as JSON (<see cref="CampaignJson"/>); a
/// replace is one <c>update … where revision = $expected</c>, so of two writers at one revision exactly one lands.
/// </summary>
public sealed partial class PostgreSqlFleetStore : ICampaignStore
{
    public async Task<StoredCampaign> AddCampaignAsync(CampaignSnapshot campaign, CampaignScope scope, string? tenant, string createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(createdBy);
        RequireName(campaign.Id, nameof(campaign));
        RequireInitialized();

        await using var insert = _dataSource.CreateCommand($"""
            insert into {_s}.ota_campaigns (id, tenant, created_by, created_at, revision, campaign, scope) values ($1, $2, $3, $4, 1, $5, $6)
            """);
        insert.Parameters.Add(Text(campaign.Id));
        insert.Parameters.Add(Text(tenant));
        insert.Parameters.Add(Text(createdBy));
        insert.Parameters.Add(Time(campaign.CreatedAt));
        insert.Parameters.Add(Json(JsonSerializer.Serialize(campaign, CampaignJson.Default.CampaignSnapshot)));
        insert.Parameters.Add(Json(JsonSerializer.Serialize(scope, CampaignJson.Default.CampaignScope)));
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"A campaign with id '{campaign.Id}' exists; nothing was changed.", exception);
        }
        return new StoredCampaign(campaign, scope, tenant, createdBy, 1);
    }

    public async Task<StoredCampaign?> FindCampaignAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select id, tenant, created_by, revision, campaign, scope from {_s}.ota_campaigns where id = $1");
        command.Parameters.Add(Text(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCampaign(reader) : null;
    }

    public async Task<IReadOnlyList<StoredCampaign>> ListCampaignsAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select id, tenant, created_by, revision, campaign, scope from {_s}.ota_campaigns order by created_at desc, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var campaigns = new List<StoredCampaign>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            campaigns.Add(ReadCampaign(reader));
        return campaigns;
    }

    public async Task<StoredCampaign?> ReplaceCampaignAsync(CampaignSnapshot campaign, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        RequireInitialized();
        await using var update = _dataSource.CreateCommand($"""
            update {_s}.ota_campaigns set campaign = $3, revision = revision + 1
            where id = $1 and revision = $2
            returning id, tenant, created_by, revision, campaign, scope
            """);
        update.Parameters.Add(Text(campaign.Id));
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedRevision });
        update.Parameters.Add(Json(JsonSerializer.Serialize(campaign, CampaignJson.Default.CampaignSnapshot)));
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return ReadCampaign(reader);
        }

        // Nothing updated: either another writer moved the revision on, or there is no such campaign.
        await using var exists = _dataSource.CreateCommand($"select 1 from {_s}.ota_campaigns where id = $1");
        exists.Parameters.Add(Text(campaign.Id));
        return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null
            ? throw new KeyNotFoundException($"No campaign '{campaign.Id}' is stored.")
            : null;
    }

    private static StoredCampaign ReadCampaign(NpgsqlDataReader reader)
    {
        var id = reader.GetString(0);
        return new StoredCampaign(
            JsonSerializer.Deserialize(reader.GetString(4), CampaignJson.Default.CampaignSnapshot)
                ?? throw new InvalidDataException($"The stored state of campaign '{id}' is null."),
            JsonSerializer.Deserialize(reader.GetString(5), CampaignJson.Default.CampaignScope)
                ?? throw new InvalidDataException($"The stored scope of campaign '{id}' is null."),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetString(2),
            reader.GetInt64(3));
    }
}
