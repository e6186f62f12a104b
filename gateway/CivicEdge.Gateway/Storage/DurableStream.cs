namespace CivicEdge.Gateway.Storage;

/// <summary>
/// One of the database's files as LiteDB sees it. LiteDB calls <see cref="Flush"/> after every page it writes; that
/// only hands the bytes to the operating system (enough to survive a killed process). <see cref="Sync"/> makes them
/// durable on the medium (enough to survive a power cut) and runs once per commit, and before the log is truncated
/// after a checkpoint (the data file must hold the pages first).
/// </summary>
internal sealed class DurableStream(Stream inner, Action? beforeTruncate = null) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    /// <summary>Forces everything written so far onto the medium (fsync).</summary>
    public void Sync()
    {
        if (inner is FileStream file)
            file.Flush(flushToDisk: true);
        else
            inner.Flush();
    }

    public override void Flush()
    {
        if (inner is FileStream file)
            file.Flush(flushToDisk: false);
        else
            inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value)
    {
        if (value < inner.Length)
            beforeTruncate?.Invoke();
        inner.SetLength(value);
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
