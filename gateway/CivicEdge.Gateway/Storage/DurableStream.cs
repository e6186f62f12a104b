namespace CivicEdge.Gateway.Storage;

/// <summary>
/// One of the database's files as LiteDB sees it. LiteDB calls <see cref="Flush"/> after every page it writes; that
/// only hands the bytes to the operating system (enough to survive a killed process). <see cref="Sync"/> makes them
/// durable on the medium (enough to survive a power cut) and runs once per commit, and before the journal is
/// truncated after a checkpoint (the data file must hold the pages first).
/// </summary>
/// <remarks>
/// A write that fails (a full disk, an I/O error) is not passed on to LiteDB: LiteDB 5 handles a failed write on its
/// background writer by closing the engine from that thread, which can deadlock it and leaves the engine unusable
/// anyway. Instead the failure is recorded, every later write is skipped, the journal is never truncated, and
/// <see cref="Sync"/> throws it to <see cref="GatewayDatabase"/>, which abandons the engine and reopens the file from
/// what really reached the disk: transactions without their commit mark are ignored on replay.
/// </remarks>
internal sealed class DurableStream(Stream inner, DurableStream? dataFile = null) : Stream
{
    private IOException? _failure;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    /// <summary>The first write that failed since the file was opened, if any.</summary>
    public IOException? Failure => Volatile.Read(ref _failure);

    /// <summary>Forces everything written so far onto the medium (fsync); throws the first failed write, if any.</summary>
    /// <exception cref="IOException">A write failed since the file was opened, or the sync itself failed.</exception>
    public void Sync()
    {
        if (Failure is { } failure)
            throw new IOException(failure.Message, failure);
        if (inner is FileStream file)
            file.Flush(flushToDisk: true);
        else
            inner.Flush();
    }

    public override void Flush()
    {
        if (Failure is not null)
            return;
        Guard(() =>
        {
            if (inner is FileStream file)
                file.Flush(flushToDisk: false);
            else
                inner.Flush();
        });
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value)
    {
        if (value < inner.Length && dataFile is not null)
        {
            // The journal is emptied after a checkpoint copied it into the data file: only once the data file is
            // synced, and never when writing it (or anything) failed, so that the journal still holds the pages.
            if (Failure is not null || dataFile.Failure is not null)
                return;
            try
            {
                dataFile.Sync();
            }
            catch (IOException ex)
            {
                Interlocked.CompareExchange(ref _failure, ex, null);
                return;
            }
        }

        if (Failure is not null)
            return;
        Guard(() => inner.SetLength(value));
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (Failure is not null)
            return;
        Guard(() => inner.Write(buffer, offset, count));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
    }
}
