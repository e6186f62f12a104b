using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Audit;
using LiteDB;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// The audit log in the fleet's LiteDB file: one document per entry keyed by its sequence number, indexed by time.
/// Nothing here updates or deletes an entry.
/// </summary>
public sealed partial class LiteDbFleetStore : IAuditStore
{
    private const string AuditName = "audit";

    private ILiteCollection<BsonDocument> _audit = null!;
    private long _lastAuditSequence;

    public Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Action, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.ActorTenants, nameof(entry));

        return Task.FromResult(Run(cancellationToken, () =>
        {
            var stored = entry with
            {
                Sequence = _lastAuditSequence + 1,
                Time = new DateTimeOffset(ToStoredTime(entry.Time), TimeSpan.Zero),
            };
            _audit.Insert(ToDocument(stored));
            _lastAuditSequence = stored.Sequence;
            return stored;
        }));
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        if (query.From > query.To)
            throw new ArgumentException($"The window must not end ({query.To:O}) before it starts ({query.From:O}).", nameof(query));

        return Task.FromResult(Run<IReadOnlyList<AuditEntry>>(cancellationToken, () =>
        {
            // Newest first along the time index, so that a limit keeps the newest; the rest of the criteria are
            // checked by the query's own rule, the one every store must agree with.
            var newest = _audit.Query()
                .Where(Query.Between("time", ToStoredTime(query.From), ToStoredTime(query.To)))
                .OrderByDescending("time")
                .ToEnumerable()
                .Select(ToAuditEntry)
                .Where(query.Matches)
                .Take(query.Limit)
                .ToList();
            newest.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            return newest;
        }));
    }

    private static BsonDocument ToDocument(AuditEntry entry) => new()
    {
        ["_id"] = entry.Sequence,
        ["time"] = entry.Time.UtcDateTime,
        ["actor"] = entry.Actor,
        ["role"] = entry.Role?.ToString(),
        ["actorTenants"] = new BsonArray(entry.ActorTenants.Select(tenant => new BsonValue(tenant))),
        ["action"] = entry.Action,
        ["target"] = entry.Target,
        ["tenant"] = entry.Tenant,
        ["outcome"] = entry.Outcome.ToString(),
        ["detail"] = entry.Detail,
        ["sourceIp"] = entry.SourceIp,
        ["correlationId"] = entry.CorrelationId,
    };

    private static AuditEntry ToAuditEntry(BsonDocument document) => new(
        document["_id"].AsInt64,
        FromStoredTime(document["time"]),
        document["actor"].AsString,
        NullableString(document["role"]) is { } role ? Enum.Parse<FleetRole>(role) : null,
        document["actorTenants"].AsArray.Select(tenant => tenant.AsString).ToList(),
        document["action"].AsString,
        NullableString(document["target"]),
        NullableString(document["tenant"]),
        Enum.Parse<AuditOutcome>(document["outcome"].AsString),
        NullableString(document["detail"]),
        NullableString(document["sourceIp"]),
        NullableString(document["correlationId"]));

    /// <summary>Opens the audit log and the API keys with the rest of the store, before anyone reads them (see the class remarks).</summary>
    private void OpenAccessCollections()
    {
        _audit = _database.GetCollection(AuditName, BsonAutoId.Int64);
        _keys = _database.GetCollection(KeysName, BsonAutoId.ObjectId);
        CreateCollection(_audit);
        CreateCollection(_keys);
        _audit.EnsureIndex("time");
        _lastAuditSequence = _audit.Query().OrderByDescending("_id").Limit(1).ToList() is [var last] ? last["_id"].AsInt64 : 0;
    }

    private void CreateCollection(ILiteCollection<BsonDocument> collection)
    {
        const long placeholder = long.MinValue;
        if (_database.CollectionExists(collection.Name))
            return;

        InTransaction(() =>
        {
            collection.Insert(new BsonDocument { ["_id"] = placeholder });
            return collection.Delete(placeholder);
        });
    }
}
