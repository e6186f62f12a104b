using System.Net;
using System.Net.Http.Headers;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>
/// The fleet's download endpoint at the HTTP seam: serves a payload whole (200) or from a range's start (206), and can
/// break the connection once after a number of bytes, as a cellular link does.
/// </summary>
internal sealed class RangeServingFleet(byte[] payload) : HttpMessageHandler
{
    private readonly List<RangeHeaderValue?> _ranges = [];

    public int? BreakAfter { get; set; }

    public IReadOnlyList<RangeHeaderValue?> Ranges => _ranges;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _ranges.Add(request.Headers.Range);
        var from = (int)(request.Headers.Range?.Ranges.Single().From ?? 0);
        var body = payload[from..];
        Stream content = new MemoryStream(body);
        if (BreakAfter is { } limit)
        {
            BreakAfter = null;
            content = new BrokenStream(body, limit);
        }

        var response = new HttpResponseMessage(from > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK) { Content = new StreamContent(content) };
        return Task.FromResult(response);
    }

    private sealed class BrokenStream(byte[] data, int limit) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= limit)
                throw new IOException("connection reset by peer");
            int take = Math.Min(count, Math.Min(limit, data.Length) - _position);
            Array.Copy(data, _position, buffer, offset, take);
            _position += take;
            return take;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
