using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>Artifacts in memory, for what a campaign reads of them: manifest and signature.</summary>
internal sealed class InMemoryArtifactStore : IArtifactStore
{
    private readonly Dictionary<string, (StoredArtifact Artifact, byte[] Payload)> _artifacts = new(StringComparer.Ordinal);

    public async Task AddArtifactAsync(StoredArtifact artifact, Stream payload, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await payload.CopyToAsync(copy, cancellationToken);
        if (!_artifacts.TryAdd(artifact.Id, (artifact, copy.ToArray())))
            throw new InvalidOperationException($"An artifact with id '{artifact.Id}' exists; nothing was changed.");
    }

    public Task<StoredArtifact?> FindArtifactAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_artifacts.TryGetValue(id, out var entry) ? entry.Artifact : null);

    public Task<IReadOnlyList<StoredArtifact>> ListArtifactsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredArtifact>>(_artifacts.Values.Select(e => e.Artifact).ToList());

    public Task<int> ReadPayloadAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!_artifacts.TryGetValue(id, out var entry))
            throw new KeyNotFoundException($"No artifact '{id}' is stored.");
        if (offset >= entry.Payload.Length)
            return Task.FromResult(0);
        var count = (int)Math.Min(buffer.Length, entry.Payload.Length - offset);
        entry.Payload.AsSpan((int)offset, count).CopyTo(buffer.Span);
        return Task.FromResult(count);
    }

    public Task<bool> DeleteArtifactAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_artifacts.Remove(id));
}
