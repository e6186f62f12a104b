using System.Net;
using System.Net.Http.Headers;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// Fetches a payload into a partial file that survives restarts: the file's length is how far it got, and the next
/// attempt asks only for the rest (<c>Range: bytes=N-</c>) under the entity tag the first part came with
/// (<c>If-Range</c>, RFC 9110 §13.1.5), so a changed artifact comes back whole (200) and the partial file is started
/// again rather than spliced. Optionally paced to a byte rate.
/// </summary>
public sealed class PayloadDownload(HttpClient client, TimeProvider timeProvider)
{
    private const int ChunkBytes = 64 * 1024;
    private const long ProgressEveryBytes = 256 * 1024;

    /// <summary>
    /// Downloads <paramref name="uri"/> into <paramref name="partialPath"/> until it holds <paramref name="size"/>
    /// bytes, resuming what is there if <paramref name="etag"/> names the same entity. <paramref name="progress"/> is
    /// called with the entity tag and the bytes on disk (flushed) now and then. Returns the entity tag.
    /// </summary>
    public async Task<string?> RunAsync(
        Uri uri,
        string partialPath,
        long size,
        string? etag,
        long maxBytesPerSecond,
        Func<string?, long, Task> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(progress);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(partialPath))!);
        var have = File.Exists(partialPath) && etag is not null ? new FileInfo(partialPath).Length : 0;
        if (have > size)
            have = 0;
        if (have == size)
            return etag;

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            request.Headers.IfRange = new RangeConditionHeaderValue(EntityTagHeaderValue.Parse(etag!));
        }
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var tag = response.Headers.ETag?.ToString();
        long offset;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange is { From: { } from } && from == have:
                offset = have;
                break;
            case HttpStatusCode.OK:
                offset = 0;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // The artifact is shorter than what we hold: it is not the one we started on.
                File.Delete(partialPath);
                throw new HttpRequestException($"GET {uri}: the fleet refused the range from byte {have} (416); the partial download was discarded and starts again");
            default:
                throw new HttpRequestException($"GET {uri}: expected 200 or 206 from byte {have}, found {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
        if (response.Content.Headers.ContentLength is { } length && offset + length != size)
            throw new InvalidDataException($"GET {uri}: expected {size - offset} bytes from byte {offset} (a payload of {size} bytes as the manifest says), found a body of {length}");

        await using var file = new FileStream(partialPath, offset == 0 ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.Read, ChunkBytes, useAsync: true);
        file.Seek(offset, SeekOrigin.Begin);
        file.SetLength(offset);
        await progress(tag, offset).ConfigureAwait(false);

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[ChunkBytes];
        var started = timeProvider.GetTimestamp();
        long received = 0;
        var position = offset;
        var lastProgress = offset;
        while (position < size)
        {
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - position)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            position += read;
            received += read;
            if (position - lastProgress >= ProgressEveryBytes)
            {
                file.Flush(flushToDisk: true);
                lastProgress = position;
                await progress(tag, position).ConfigureAwait(false);
            }
            if (maxBytesPerSecond > 0)
            {
                // Pace to the cap on average since the start: sleep until the time these bytes were due.
                var due = TimeSpan.FromSeconds((double)received / maxBytesPerSecond);
                var behind = due - timeProvider.GetElapsedTime(started);
                if (behind > TimeSpan.Zero)
                    await Task.Delay(behind, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        file.Flush(flushToDisk: true);
        await progress(tag, position).ConfigureAwait(false);
        if (position < size)
            throw new IOException($"GET {uri}: the connection ended at byte {position} of {size}; the download resumes from there");
        return tag;
    }
}
