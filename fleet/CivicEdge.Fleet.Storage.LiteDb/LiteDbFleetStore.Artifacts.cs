using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// OTA artifacts in the fleet's LiteDB file: the payload in LiteDB's file storage (1 MB chunks in <c>ota_chunks</c>),
/// the signed manifest, signature and upload record in <c>ota_artifacts</c>. The record is written after the payload
/// and is what makes an artifact exist, so a payload cut off by a crash is never served.
/// </summary>
public sealed partial class LiteDbFleetStore : IArtifactStore
{
    private const string ArtifactsName = "ota_artifacts";
    private const string ArtifactFilesName = "ota_files";
    private const string ArtifactChunksName = "ota_chunks";

    private ILiteCollection<BsonDocument> _artifacts = null!;
    private ILiteStorage<string> _payloads = null!;

    public Task AddArtifactAsync(StoredArtifact artifact, Stream payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(payload);
        StoreKeys.RequireName(artifact.Id, nameof(artifact));
        Run(cancellationToken, () =>
        {
            if (_artifacts.FindById(artifact.Id) is not null)
                throw new InvalidOperationException($"An artifact with id '{artifact.Id}' exists; nothing was changed.");

            // Whatever a crash or failure left of an earlier attempt goes first: the payload is written whole or not at all.
            _payloads.Delete(artifact.Id);
            try
            {
                _payloads.Upload(artifact.Id, artifact.Id, payload);
                _artifacts.Insert(new BsonDocument
                {
                    ["_id"] = artifact.Id,
                    ["manifest"] = new BsonValue(artifact.ManifestBytes.ToArray()),
                    ["signature"] = JsonSerializer.Serialize(artifact.Signature, OtaJson.Default.OtaSignature),
                    ["uploadedBy"] = artifact.UploadedBy,
                    ["uploadedAt"] = ToStoredTime(artifact.UploadedAt),
                });
            }
            catch
            {
                _payloads.Delete(artifact.Id);
                throw;
            }
        });
        return Task.CompletedTask;
    }

    public Task<StoredArtifact?> FindArtifactAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
            id.Length > 0 && _artifacts.FindById(id) is { } document ? ToArtifact(document) : null));
    }

    public Task<IReadOnlyList<StoredArtifact>> ListArtifactsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Run<IReadOnlyList<StoredArtifact>>(cancellationToken, () => _artifacts.FindAll()
            .Select(ToArtifact)
            .OrderByDescending(artifact => artifact.UploadedAt)
            .ThenBy(artifact => artifact.Id, StringComparer.Ordinal)
            .ToList()));

    public Task<int> ReadPayloadAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (id.Length == 0 || _artifacts.FindById(id) is null || _payloads.FindById(id) is not { } file)
                throw new KeyNotFoundException($"No artifact '{id}' is stored.");
            if (offset >= file.Length || buffer.IsEmpty)
                return 0;

            using var stream = file.OpenRead();
            stream.Position = offset;
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer.Span[total..])) > 0)
                total += read;
            return total;
        }));
    }

    public Task<bool> DeleteArtifactAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (id.Length == 0 || !_artifacts.Delete(id))
                return false;
            _payloads.Delete(id);
            return true;
        }));
    }

    /// <summary>Opens the artifact collections with the rest of the store, before anyone reads them (see the class remarks).</summary>
    private void OpenArtifactCollections()
    {
        _artifacts = _database.GetCollection(ArtifactsName, BsonAutoId.ObjectId);
        CreateCollection(_artifacts);
        CreateCollection(_database.GetCollection(ArtifactFilesName, BsonAutoId.ObjectId));
        CreateCollection(_database.GetCollection(ArtifactChunksName, BsonAutoId.ObjectId));
        _payloads = _database.GetStorage<string>(ArtifactFilesName, ArtifactChunksName);
    }

    private static StoredArtifact ToArtifact(BsonDocument document)
    {
        var manifestBytes = document["manifest"].AsBinary;
        return new StoredArtifact(
            document["_id"].AsString,
            manifestBytes,
            JsonSerializer.Deserialize(manifestBytes, OtaJson.Default.OtaManifest)
                ?? throw new InvalidDataException($"The stored manifest of artifact '{document["_id"].AsString}' is null."),
            JsonSerializer.Deserialize(document["signature"].AsString, OtaJson.Default.OtaSignature)
                ?? throw new InvalidDataException($"The stored signature of artifact '{document["_id"].AsString}' is null."),
            document["uploadedBy"].AsString,
            FromStoredTime(document["uploadedAt"]));
    }
}
