namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Where the fleet keeps OTA artifacts: their signed manifests and payloads. One contract, several engines (a LiteDB
/// file's file storage on one node, chunked rows in PostgreSQL for stateless nodes), each running the same contract
/// tests. The store keeps what it is given: checking signatures and hashes is the caller's, before it adds anything.
/// </summary>
public interface IArtifactStore
{
    /// <summary>
    /// Stores an artifact and its payload, read from <paramref name="payload"/> to its end, all or nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">An artifact with this id exists; nothing was changed.</exception>
    Task AddArtifactAsync(StoredArtifact artifact, Stream payload, CancellationToken cancellationToken);

    /// <summary>The artifact with <paramref name="id"/>, or null.</summary>
    Task<StoredArtifact?> FindArtifactAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every artifact, newest upload first.</summary>
    Task<IReadOnlyList<StoredArtifact>> ListArtifactsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads payload bytes from <paramref name="offset"/> into <paramref name="buffer"/>: as many as fit and exist,
    /// 0 at or past the end. Each call stands alone, so a download of any length holds no lock or connection between reads.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No artifact has this id.</exception>
    Task<int> ReadPayloadAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Removes an artifact and its payload; false when there was none.</summary>
    Task<bool> DeleteArtifactAsync(string id, CancellationToken cancellationToken);
}
