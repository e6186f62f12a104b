using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// Received OTA status reports in <c>ota_status</c>, one document each, numbered in the order appended. The store counts
/// them itself (a LiteDB count reads every document, which at a backlog of thousands cost more than the insert). Appends
/// go through the store's writer thread like telemetry batches, so reports arriving together (from the ingest's lanes)
/// share one transaction and one journal sync; the room check and the insert happen on that thread in queue order, so
/// the bound holds exactly.
/// </summary>
public sealed partial class LiteDbFleetStore : IOtaStatusStore
{
    private const string OtaStatusName = "ota_status";

    private ILiteCollection<BsonDocument> _otaStatus = null!;
    private long _lastOtaStatusId;
    private long _pendingOtaStatus;

    public Task<bool> TryAppendOtaStatusAsync(string source, OtaStatusReport report, DateTimeOffset receivedAt, int capacity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var stored = JsonSerializer.Serialize(report, OtaJson.Default.OtaStatusReport);
        var at = ToStoredTime(receivedAt);
        return Write(cancellationToken, () =>
        {
            if (_pendingOtaStatus >= capacity)
                return false;
            _otaStatus.Insert(new BsonDocument
            {
                ["_id"] = _lastOtaStatusId + 1,
                ["source"] = source,
                ["receivedAt"] = at,
                ["report"] = stored,
            });
            _lastOtaStatusId++;
            _pendingOtaStatus++;
            return true;
        });
    }

    public Task<IReadOnlyList<PendingOtaStatus>> ReadPendingOtaStatusAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Task.FromResult(Run<IReadOnlyList<PendingOtaStatus>>(cancellationToken, () => _otaStatus.Query()
            .OrderBy("_id")
            .Limit(limit)
            .ToList()
            .Select(ToPendingOtaStatus)
            .ToList()));
    }

    public Task<long> CountPendingOtaStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run(cancellationToken, () => _pendingOtaStatus));

    public Task DeleteOtaStatusAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
            return Task.CompletedTask;
        Run(cancellationToken, () => InTransaction(() =>
        {
            foreach (var id in ids)
            {
                if (_otaStatus.Delete(id))
                    _pendingOtaStatus--;
            }
            return true;
        }));
        return Task.CompletedTask;
    }

    /// <summary>Opens the status collection with the rest of the store, and numbers on from the last report kept.</summary>
    private void OpenOtaStatusCollection()
    {
        _otaStatus = _database.GetCollection(OtaStatusName, BsonAutoId.Int64);
        CreateCollection(_otaStatus);
        _lastOtaStatusId = _otaStatus.Query().OrderByDescending("_id").Limit(1).ToList() is [var last] ? last["_id"].AsInt64 : 0;
        _pendingOtaStatus = _otaStatus.LongCount();
    }

    private static PendingOtaStatus ToPendingOtaStatus(BsonDocument document) => new(
        document["_id"].AsInt64,
        document["source"].AsString,
        JsonSerializer.Deserialize(document["report"].AsString, OtaJson.Default.OtaStatusReport)
            ?? throw new InvalidDataException($"The stored OTA status report {document["_id"].AsInt64} is null."),
        FromStoredTime(document["receivedAt"]));
}
