using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// A stored artifact as a seekable, read-only stream (optionally behind the package head), so that ASP.NET Core's own
/// range processing (RFC 9110 §14: 206, 416, If-Range) serves it. Reads from the store a window at a time, so the
/// framework's small copy buffers do not each cost a query.
/// </summary>
internal sealed class ArtifactReadStream(IArtifactStore store, string id, long payloadLength, byte[] prefix) : Stream
{
    private const int Window = 256 * 1024;

    private readonly byte[] _window = new byte[Window];
    private long _windowStart = -1;
    private int _windowLength;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => prefix.Length + payloadLength;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
            return 0;
        if (_position < prefix.Length)
        {
            var count = (int)Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsMemory((int)_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        var offset = _position - prefix.Length;
        if (_windowStart < 0 || offset < _windowStart || offset >= _windowStart + _windowLength)
        {
            _windowLength = await store.ReadPayloadAsync(id, offset, _window, cancellationToken).ConfigureAwait(false);
            _windowStart = offset;
            if (_windowLength == 0)
                throw new IOException($"Artifact '{id}' ended at byte {offset} of a payload of {payloadLength}: the store holds less than its manifest says.");
        }

        var from = (int)(offset - _windowStart);
        var length = Math.Min(buffer.Length, _windowLength - from);
        _window.AsMemory(from, length).CopyTo(buffer);
        _position += length;
        return length;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
