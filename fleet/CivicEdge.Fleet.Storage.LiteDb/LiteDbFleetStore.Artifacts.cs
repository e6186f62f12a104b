using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// OTA artifacts in the fleet's LiteDB file: the payload in <see cref="ArtifactChunkSize"/> documents in
/// <c>ota_chunks</c> (keyed by artifact and index, so a range reads only the chunks it covers), the signed manifest,
/// signature and upload record in <c>ota_artifacts</c>. The record is written after the last chunk and is what makes
/// an artifact exist, so a payload cut off by a failure or a crash is never served, and the next upload clears it.
/// </summary>
/// <remarks>
/// LiteDB's own file storage is not used: a file uploaded from a stream read in pieces reads back with bytes past its
/// end once its read position is set (LiteDB 5.0.20), which a range request does.
/// </remarks>
public sealed partial class LiteDbFleetStore : IArtifactStore
{
    /// <summary>256 KiB, as in the PostgreSQL store: a range read fetches little it does not send.</summary>
    internal const int ArtifactChunkSize = 256 * 1024;

    private const string ArtifactsName = "ota_artifacts";
    private const string ArtifactChunksName = "ota_chunks";

    private ILiteCollection<BsonDocument> _artifacts = null!;
    private ILiteCollection<BsonDocument> _artifactChunks = null!;

    /// <summary>Ids being uploaded now: two uploads of one id would write the same chunk keys and clear each other's.</summary>
    private readonly ConcurrentDictionary<string, bool> _artifactUploads = new(StringComparer.Ordinal);

    public async Task AddArtifactAsync(StoredArtifact artifact, Stream payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(payload);
        StoreKeys.RequireName(artifact.Id, nameof(artifact));
        if (!_artifactUploads.TryAdd(artifact.Id, true))
            throw new InvalidOperationException($"An artifact with id '{artifact.Id}' is being stored by another upload; nothing was changed.");
        try
        {
            await AddArtifactChunksAsync(artifact, payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _artifactUploads.TryRemove(artifact.Id, out _);
        }
    }

    private async Task AddArtifactChunksAsync(StoredArtifact artifact, Stream payload, CancellationToken cancellationToken)
    {
        Run(cancellationToken, () =>
        {
            if (_artifacts.FindById(artifact.Id) is not null)
                throw new InvalidOperationException($"An artifact with id '{artifact.Id}' exists; nothing was changed.");
            _artifactChunks.DeleteMany(Query.StartsWith("_id", ChunkPrefix(artifact.Id)));
        });

        // One chunk per lock: ingest goes on between chunks, and no transaction holds a whole image in memory.
        try
        {
            var chunk = new byte[ArtifactChunkSize];
            for (var index = 0; ; index++)
            {
                var filled = 0;
                int read;
                while (filled < chunk.Length && (read = await payload.ReadAsync(chunk.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
                    filled += read;
                if (filled == 0)
                    break;
                var document = new BsonDocument { ["_id"] = ChunkKey(artifact.Id, index), ["data"] = new BsonValue(chunk.AsSpan(0, filled).ToArray()) };
                Run(CancellationToken.None, () => _artifactChunks.Insert(document));
                if (filled < chunk.Length)
                    break;
            }

            Run(CancellationToken.None, () =>
            {
                if (_artifacts.FindById(artifact.Id) is not null)
                    throw new InvalidOperationException($"An artifact with id '{artifact.Id}' exists; nothing was changed.");
                _artifacts.Insert(new BsonDocument
                {
                    ["_id"] = artifact.Id,
                    ["manifest"] = new BsonValue(artifact.ManifestBytes.ToArray()),
                    ["signature"] = JsonSerializer.Serialize(artifact.Signature, OtaJson.Default.OtaSignature),
                    ["size"] = artifact.Manifest.Size,
                    ["uploadedBy"] = artifact.UploadedBy,
                    ["uploadedAt"] = ToStoredTime(artifact.UploadedAt),
                });
            });
        }
        catch (Exception exception) when (exception is not InvalidOperationException)
        {
            Run(CancellationToken.None, () => _artifactChunks.DeleteMany(Query.StartsWith("_id", ChunkPrefix(artifact.Id))));
            throw;
        }
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
            if (id.Length == 0 || _artifacts.FindById(id) is not { } artifact)
                throw new KeyNotFoundException($"No artifact '{id}' is stored.");
            var size = artifact["size"].AsInt64;
            if (offset >= size || buffer.IsEmpty)
                return 0;

            var first = (int)(offset / ArtifactChunkSize);
            var last = (int)((Math.Min(size, offset + buffer.Length) - 1) / ArtifactChunkSize);
            var written = 0;
            foreach (var chunk in _artifactChunks.Find(Query.Between("_id", ChunkKey(id, first), ChunkKey(id, last))))
            {
                var data = chunk["data"].AsBinary;
                var chunkStart = (long)ChunkIndex(chunk["_id"].AsString) * ArtifactChunkSize;
                var from = (int)Math.Max(0, offset + written - chunkStart);
                var count = Math.Min(data.Length - from, buffer.Length - written);
                if (count <= 0)
                    continue;
                data.AsSpan(from, count).CopyTo(buffer.Span[written..]);
                written += count;
            }
            return written;
        }));
    }

    public Task<bool> DeleteArtifactAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (id.Length == 0 || !_artifacts.Delete(id))
                return false;
            _artifactChunks.DeleteMany(Query.StartsWith("_id", ChunkPrefix(id)));
            return true;
        }));
    }

    /// <summary>Opens the artifact collections with the rest of the store, before anyone reads them (see the class remarks).</summary>
    private void OpenArtifactCollections()
    {
        _artifacts = _database.GetCollection(ArtifactsName, BsonAutoId.ObjectId);
        _artifactChunks = _database.GetCollection(ArtifactChunksName, BsonAutoId.ObjectId);
        CreateCollection(_artifacts);
        CreateCollection(_artifactChunks);
    }

    private static string ChunkPrefix(string id) => id + StoreKeys.Separator;

    // Zero-padded, so the key order is the chunk order and a range of chunks is a range of keys.
    private static string ChunkKey(string id, int index) => ChunkPrefix(id) + index.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    private static int ChunkIndex(string key) => int.Parse(key.AsSpan(key.Length - 10), System.Globalization.CultureInfo.InvariantCulture);

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
