using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;
using Npgsql;
using NpgsqlTypes;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// OTA artifacts in <c>ota_artifacts</c> (manifest, signature, upload record) and <c>ota_chunks</c> (the payload in
/// <see cref="ArtifactChunkSize"/> rows), written in one transaction, so every fleet node serves any artifact and
/// none serves half of one.
/// </summary>
public sealed partial class PostgreSqlFleetStore : IArtifactStore
{
    /// <summary>256 KiB: large enough that a 50 MB image is 200 rows, small enough that a range read fetches little it does not send.</summary>
    internal const int ArtifactChunkSize = 256 * 1024;

    public async Task AddArtifactAsync(StoredArtifact artifact, Stream payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(payload);
        RequireName(artifact.Id, nameof(artifact));
        RequireInitialized();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand($"""
            insert into {_s}.ota_artifacts (id, manifest, signature, size, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6)
            """, connection, transaction))
        {
            insert.Parameters.Add(Text(artifact.Id));
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = artifact.ManifestBytes.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(Text(JsonSerializer.Serialize(artifact.Signature, OtaJson.Default.OtaSignature)));
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = artifact.Manifest.Size });
            insert.Parameters.Add(Text(artifact.UploadedBy));
            insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = artifact.UploadedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new InvalidOperationException($"An artifact with id '{artifact.Id}' exists; nothing was changed.", exception);
            }
        }

        var chunk = new byte[ArtifactChunkSize];
        var index = 0;
        while (true)
        {
            var filled = 0;
            int read;
            while (filled < chunk.Length && (read = await payload.ReadAsync(chunk.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
                filled += read;
            if (filled == 0)
                break;

            await using var insertChunk = new NpgsqlCommand($"insert into {_s}.ota_chunks (artifact, index, data) values ($1, $2, $3)", connection, transaction);
            insertChunk.Parameters.Add(Text(artifact.Id));
            insertChunk.Parameters.Add(new NpgsqlParameter<int> { TypedValue = index++ });
            insertChunk.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = chunk.AsMemory(0, filled), NpgsqlDbType = NpgsqlDbType.Bytea });
            await insertChunk.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (filled < chunk.Length)
                break;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredArtifact?> FindArtifactAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select id, manifest, signature, uploaded_by, uploaded_at from {_s}.ota_artifacts where id = $1");
        command.Parameters.Add(Text(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadArtifact(reader) : null;
    }

    public async Task<IReadOnlyList<StoredArtifact>> ListArtifactsAsync(CancellationToken cancellationToken)
    {
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select id, manifest, signature, uploaded_by, uploaded_at from {_s}.ota_artifacts order by uploaded_at desc, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var artifacts = new List<StoredArtifact>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            artifacts.Add(ReadArtifact(reader));
        return artifacts;
    }

    public async Task<int> ReadPayloadAsync(string id, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        RequireInitialized();

        // The artifact row is read along with the chunks, so an unknown id is told apart from a read past the end.
        var first = (int)(offset / ArtifactChunkSize);
        var last = (int)((offset + Math.Max(buffer.Length, 1) - 1) / ArtifactChunkSize);
        await using var command = _dataSource.CreateCommand($"""
            select a.size, c.index, c.data
            from {_s}.ota_artifacts a left join {_s}.ota_chunks c on c.artifact = a.id and c.index between $2 and $3
            where a.id = $1
            order by c.index
            """);
        command.Parameters.Add(Text(id));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = first });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = last });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new KeyNotFoundException($"No artifact '{id}' is stored.");
        var size = reader.GetInt64(0);
        if (offset >= size || buffer.IsEmpty)
            return 0;

        var written = 0;
        do
        {
            if (reader.IsDBNull(1))
                break;
            var chunkStart = (long)reader.GetInt32(1) * ArtifactChunkSize;
            var data = reader.GetFieldValue<byte[]>(2);
            var from = (int)Math.Max(0, offset + written - chunkStart);
            var count = Math.Min(data.Length - from, buffer.Length - written);
            if (count <= 0)
                continue;
            data.AsSpan(from, count).CopyTo(buffer.Span[written..]);
            written += count;
        }
        while (written < buffer.Length && await reader.ReadAsync(cancellationToken).ConfigureAwait(false));
        return written;
    }

    public async Task<bool> DeleteArtifactAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"delete from {_s}.ota_artifacts where id = $1");
        command.Parameters.Add(Text(id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static StoredArtifact ReadArtifact(NpgsqlDataReader reader)
    {
        var id = reader.GetString(0);
        var manifestBytes = reader.GetFieldValue<byte[]>(1);
        return new StoredArtifact(
            id,
            manifestBytes,
            JsonSerializer.Deserialize(manifestBytes, OtaJson.Default.OtaManifest)
                ?? throw new InvalidDataException($"The stored manifest of artifact '{id}' is null."),
            JsonSerializer.Deserialize(reader.GetString(2), OtaJson.Default.OtaSignature)
                ?? throw new InvalidDataException($"The stored signature of artifact '{id}' is null."),
            reader.GetString(3),
            ReadTime(reader, 4));
    }
}
