using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Storage;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Gateway.Twin;

/// <summary>
/// Keeps the desired state the gateway last applied in the gateway's database, so that a restart without network
/// comes back with the fleet's configuration rather than the local file's. The document is kept as the JSON that came
/// over the wire, so it reads back exactly as received whatever the contract grows.
/// </summary>
public sealed class DesiredStateStore(GatewayDatabase database)
{
    private const string Collection = "twin";
    private const string DesiredId = "desired";
    private const string VersionField = "version";
    private const string JsonField = "json";

    /// <summary>Stores <paramref name="state"/> in place of the one stored before.</summary>
    public void Save(DesiredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var json = JsonSerializer.Serialize(state, ContractsJson.Default.DesiredState);
        database.Write(db => db.GetCollection(Collection).Upsert(new BsonDocument
        {
            ["_id"] = DesiredId,
            [VersionField] = state.Version,
            [JsonField] = json,
        }));
    }

    /// <summary>Forgets the stored state: the local file applies from the next start.</summary>
    public void Delete() => database.Write(db => db.GetCollection(Collection).Delete(DesiredId));

    /// <summary>The stored state; null when there is none or it cannot be read (<paramref name="problem"/> says why).</summary>
    public DesiredState? Load(out string? problem)
    {
        problem = null;
        var document = database.Read(db => db.GetCollection(Collection).FindById(DesiredId));
        if (document is null)
            return null;
        try
        {
            return JsonSerializer.Deserialize(document[JsonField].AsString, ContractsJson.Default.DesiredState)
                ?? throw new JsonException("the stored document is null");
        }
        catch (JsonException ex)
        {
            problem = $"the stored desired version {document[VersionField].AsInt64} cannot be read: {ex.Message}";
            return null;
        }
    }
}
