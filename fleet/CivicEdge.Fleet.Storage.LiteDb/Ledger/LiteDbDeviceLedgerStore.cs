using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using LiteDB;
using Microsoft.Extensions.Logging;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.LiteDb.Ledger;

/// <summary>
/// The embedded ledger store: one LiteDB file of its own beside the telemetry store, so the ledger's few, precious
/// writes never queue behind telemetry batches. A device is kept as the JSON of its contract (it reads back exactly as
/// written) with its query fields beside it for indexes; queries narrow along one index, then apply
/// <see cref="DeviceQuery.Matches"/>, so every engine answers alike.
/// </summary>
/// <remarks>
/// As in <see cref="LiteDbFleetStore"/>, every operation holds one lock and runs on the caller's thread (LiteDB binds a
/// transaction to its thread); all collections are created on opening.
/// </remarks>
public sealed partial class LiteDbDeviceLedgerStore : IDeviceLedgerStore, IDisposable
{
    private const string DevicesName = "ledger_devices";
    private const string CredentialsName = "ledger_credentials";
    private const string ClaimTokensName = "ledger_claim_tokens";

    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _devices;
    private readonly ILiteCollection<BsonDocument> _credentials;
    private readonly ILiteCollection<BsonDocument> _claimTokens;
    private readonly Lock _gate = new();
    private readonly ILogger<LiteDbDeviceLedgerStore> _logger;
    private readonly string _path;
    private bool _disposed;

    /// <exception cref="InvalidOperationException">The file cannot be opened, e.g. it is in use.</exception>
    public LiteDbDeviceLedgerStore(LiteDbLedgerStoreOptions options, ILogger<LiteDbDeviceLedgerStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options.Path));
        _logger = logger;
        _path = Path.GetFullPath(options.Path);
        _database = LiteDbFile.Open(_path, "the ledger store");

        _devices = _database.GetCollection(DevicesName, BsonAutoId.ObjectId);
        _credentials = _database.GetCollection(CredentialsName, BsonAutoId.ObjectId);
        _claimTokens = _database.GetCollection(ClaimTokensName, BsonAutoId.ObjectId);
        try
        {
            InTransaction(() =>
            {
                foreach (var collection in new[] { _devices, _credentials, _claimTokens })
                {
                    if (!_database.CollectionExists(collection.Name))
                    {
                        collection.Insert(new BsonDocument { ["_id"] = "\u001f" });
                        collection.Delete("\u001f");
                    }
                }

                return true;
            });
            _devices.EnsureIndex("tenant");
            _devices.EnsureIndex("gateway");
            _devices.EnsureIndex("batch");
            _devices.EnsureIndex("lat");
            _credentials.EnsureIndex("device");
            _credentials.EnsureIndex("thumbprint");
        }
        catch
        {
            _database.Dispose();
            throw;
        }

        LogOpened(_logger, _path);
    }

    public Task<bool> TryAddDeviceAsync(LedgerDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrEmpty(device.Code);
        return Task.FromResult(Run(cancellationToken, () => InTransaction(() =>
        {
            if (_devices.FindById(device.Code) is not null)
                return false;
            _devices.Insert(ToDocument(device));
            return true;
        })));
    }

    public Task<LedgerDevice?> FindDeviceAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Task.FromResult(Run(cancellationToken, () =>
            code.Length > 0 && _devices.FindById(code) is { } document ? ToDevice(document) : null));
    }

    public Task<IReadOnlyDictionary<string, string>> FindTenantsAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return Task.FromResult(Run<IReadOnlyDictionary<string, string>>(cancellationToken, () => _devices
            .Find(Query.In("_id", codes.Where(code => code.Length > 0).Distinct(StringComparer.Ordinal).Select(code => new BsonValue(code))))
            .ToDictionary(document => document["_id"].AsString, document => document["tenant"].AsString, StringComparer.Ordinal)));
    }

    public Task<bool> TryUpdateDeviceAsync(LedgerDevice device, long expectedRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Task.FromResult(Run(cancellationToken, () => InTransaction(() => Replace(device, expectedRevision))));
    }

    public Task<IReadOnlyList<LedgerDevice>> QueryDevicesAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(Run<IReadOnlyList<LedgerDevice>>(cancellationToken, () =>
        {
            // One index narrows the search; the query's own predicate decides.
            var candidates = query switch
            {
                { Gateway: { } gateway } => _devices.Find(Query.EQ("gateway", gateway)),
                { Batch: { } batch } => _devices.Find(Query.EQ("batch", batch)),
                { Tenant: { } tenant } => _devices.Find(Query.EQ("tenant", tenant)),
                { Tenants: { } tenants } => _devices.Find(Query.In("tenant", tenants.Select(tenant => new BsonValue(tenant)))),
                { Within: { } box } => _devices.Find(Query.Between("lat", box.MinLatitude, box.MaxLatitude)),
                _ => _devices.FindAll(),
            };
            return candidates
                .Select(ToDevice)
                .Where(query.Matches)
                .OrderBy(device => device.Code, StringComparer.Ordinal)
                .ToList();
        }));
    }

    public Task AddCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Run(cancellationToken, () => _credentials.Insert(ToDocument(credential)));
        return Task.CompletedTask;
    }

    public Task<bool> TryUpdateCredentialAsync(DeviceCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Task.FromResult(Run(cancellationToken, () => _credentials.Update(ToDocument(credential))));
    }

    public Task<IReadOnlyList<DeviceCredential>> ListCredentialsAsync(string device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Task.FromResult(Run<IReadOnlyList<DeviceCredential>>(cancellationToken, () =>
            _credentials.Find(Query.EQ("device", device)).Select(ToCredential).OrderBy(credential => credential.IssuedAt).ThenBy(credential => credential.Id, StringComparer.Ordinal).ToList()));
    }

    public Task<IReadOnlyList<DeviceCredential>> ListAllCredentialsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<DeviceCredential>>(cancellationToken, () =>
            _credentials.FindAll().Select(ToCredential)
                .OrderBy(credential => credential.Device, StringComparer.Ordinal)
                .ThenBy(credential => credential.IssuedAt)
                .ThenBy(credential => credential.Id, StringComparer.Ordinal)
                .ToList()));

    public Task<DeviceCredential?> FindCredentialByThumbprintAsync(string thumbprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        return Task.FromResult(Run(cancellationToken, () =>
            _credentials.FindOne(Query.EQ("thumbprint", thumbprint)) is { } document ? ToCredential(document) : null));
    }

    public Task AddClaimTokenAsync(ClaimTokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        Run(cancellationToken, () => _claimTokens.Insert(ToDocument(token)));
        return Task.CompletedTask;
    }

    public Task<ClaimTokenRecord?> FindClaimTokenAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Task.FromResult(Run(cancellationToken, () =>
            hash.Length > 0 && _claimTokens.FindById(hash) is { } document ? ToClaimToken(document) : null));
    }

    public Task<ClaimCommit> CommitClaimAsync(
        string tokenHash, LedgerDevice device, long expectedRevision, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(device);
        return Task.FromResult(Run(cancellationToken, () => InTransaction(() =>
        {
            if (tokenHash.Length == 0 || _claimTokens.FindById(tokenHash) is not { } document)
                return ClaimCommit.UnknownToken;

            var token = ToClaimToken(document);
            if (at >= token.ExpiresAt)
                return ClaimCommit.Expired;
            if (token.Device is not null ? token.Claimed.Count > 0 : token.Claimed.Contains(device.Code, StringComparer.Ordinal))
                return ClaimCommit.AlreadyUsed;
            if (!Replace(device, expectedRevision))
                return ClaimCommit.DeviceChanged;

            _claimTokens.Update(ToDocument(token with { Claimed = [.. token.Claimed, device.Code] }));
            return ClaimCommit.Claimed;
        })));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _database.Dispose();
        }

        LogClosed(_logger, _path);
    }

    private bool Replace(LedgerDevice device, long expectedRevision)
    {
        if (_devices.FindById(device.Code) is not { } held || held["revision"].AsInt64 != expectedRevision)
            return false;
        return _devices.Update(ToDocument(device));
    }

    private T Run<T>(CancellationToken cancellationToken, Func<T> operation)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return operation();
        }
    }

    private T InTransaction<T>(Func<T> operation)
    {
        if (!_database.BeginTrans())
            throw new InvalidOperationException("A LiteDB transaction is already open on this thread.");
        try
        {
            var result = operation();
            _database.Commit();
            return result;
        }
        catch
        {
            _database.Rollback();
            throw;
        }
    }

    private static BsonDocument ToDocument(LedgerDevice device) => new()
    {
        ["_id"] = device.Code,
        ["revision"] = device.Revision,
        ["tenant"] = device.Tenant,
        ["gateway"] = device.Gateway,
        ["batch"] = device.Batch,
        ["lat"] = device.Location?.Latitude is { } latitude ? new BsonValue(latitude) : BsonValue.Null,
        ["json"] = JsonSerializer.Serialize(device, LedgerJson.Default.LedgerDevice),
    };

    private static LedgerDevice ToDevice(BsonDocument document) =>
        JsonSerializer.Deserialize(document["json"].AsString, LedgerJson.Default.LedgerDevice)
        ?? throw new InvalidDataException($"The ledger entry {document["_id"]} is empty.");

    private static BsonDocument ToDocument(DeviceCredential credential) => new()
    {
        ["_id"] = credential.Id,
        ["device"] = credential.Device,
        ["kind"] = credential.Kind.ToString(),
        ["hash"] = credential.PasswordHash,
        ["thumbprint"] = credential.Thumbprint,
        ["issuedAt"] = Time(credential.IssuedAt),
        ["issuedBy"] = credential.IssuedBy,
        ["validUntil"] = Time(credential.ValidUntil),
        ["revokedAt"] = Time(credential.RevokedAt),
        ["revokedBy"] = credential.RevokedBy,
        ["revocationReason"] = credential.RevocationReason,
    };

    private static DeviceCredential ToCredential(BsonDocument document) => new(
        document["_id"].AsString,
        document["device"].AsString,
        Enum.Parse<CredentialKind>(document["kind"].AsString),
        Text(document["hash"]),
        Text(document["thumbprint"]),
        Time(document["issuedAt"])!.Value,
        document["issuedBy"].AsString,
        Time(document["validUntil"]),
        Time(document["revokedAt"]),
        Text(document["revokedBy"]),
        Text(document["revocationReason"]));

    private static BsonDocument ToDocument(ClaimTokenRecord token) => new()
    {
        ["_id"] = token.Hash,
        ["device"] = token.Device,
        ["batch"] = token.Batch,
        ["issuedAt"] = Time(token.IssuedAt),
        ["issuedBy"] = token.IssuedBy,
        ["expiresAt"] = Time(token.ExpiresAt),
        ["claimed"] = new BsonArray(token.Claimed.Select(code => new BsonValue(code))),
    };

    private static ClaimTokenRecord ToClaimToken(BsonDocument document) => new(
        document["_id"].AsString,
        Text(document["device"]),
        Text(document["batch"]),
        Time(document["issuedAt"])!.Value,
        document["issuedBy"].AsString,
        Time(document["expiresAt"])!.Value,
        document["claimed"].AsArray.Select(code => code.AsString).ToList());

    private static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;

    /// <summary>BSON dates hold milliseconds; times are truncated to them on the way in.</summary>
    private static BsonValue Time(DateTimeOffset? time)
    {
        if (time is not { } value)
            return BsonValue.Null;
        var utc = value.UtcDateTime;
        return new BsonValue(new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc));
    }

    private static DateTimeOffset? Time(BsonValue value) =>
        value.IsNull ? null : new DateTimeOffset(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc), TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger store opened at {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger store at {Path} closed")]
    private static partial void LogClosed(ILogger logger, string path);
}
