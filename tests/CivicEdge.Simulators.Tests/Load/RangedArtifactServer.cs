using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace CivicEdge.Simulators.Tests.Load;

/// <summary>
/// The fleet's artifact download as a handler: answers range requests for one payload with 206 and the bytes asked
/// for, records every range and the credentials sent, and can break its first answer off after some bytes, as a
/// dropped connection does.
/// </summary>
internal sealed class RangedArtifactServer(string path, byte[] payload) : HttpMessageHandler
{
    private int _answers;

    /// <summary>The first answer ends with an I/O error after this many bytes; null for none.</summary>
    public int? BreakFirstAfter { get; init; }

    public ConcurrentQueue<(long From, long To)> Ranges { get; } = new();

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorizations.Enqueue(request.Headers.Authorization?.ToString());
        if (request.RequestUri!.AbsolutePath != "/" + path)
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
        var range = request.Headers.Range!.Ranges.Single();
        var from = range.From!.Value;
        var to = Math.Min(range.To ?? payload.Length - 1, payload.Length - 1);
        Ranges.Enqueue((from, to));
        var slice = payload[(int)from..(int)(to + 1)];
        HttpContent content = Interlocked.Increment(ref _answers) == 1 && BreakFirstAfter is { } cut
            ? new StreamContent(new BrokenStream(slice[..cut]))
            : new ByteArrayContent(slice);
        content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, payload.Length);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content, RequestMessage = request });
    }

    /// <summary>Gives its bytes, then fails as a connection reset does.</summary>
    private sealed class BrokenStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("connection reset by peer");
        }
    }
}
