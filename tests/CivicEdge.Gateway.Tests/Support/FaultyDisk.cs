using CivicEdge.Gateway.Storage;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// A disk for <see cref="GatewayDatabase"/> that fills up and fails on demand, deterministically and without root:
/// real files, but a write that would grow them past <see cref="FreeBytes"/> fails as Linux fails it (ENOSPC), and the
/// next fsync can be made to fail (EIO).
/// </summary>
internal sealed class FaultyDisk : IDatabaseFiles
{
    private const int Enospc = 28;
    private const int Eio = 5;
    private long _freeBytes = long.MaxValue;
    private int _refusals;

    /// <summary>Bytes the files may still grow by; 0 is a full disk.</summary>
    public long FreeBytes
    {
        get => Interlocked.Read(ref _freeBytes);
        set => Interlocked.Exchange(ref _freeBytes, value);
    }

    /// <summary>When set, the next fsync fails once, after the bytes were written.</summary>
    public bool FailNextSync { get; set; }

    /// <summary>Writes refused for lack of space so far.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public Stream Open(string path) => new FaultyFile(path, this);

    private void Claim(long bytes)
    {
        if (bytes <= 0)
            return;
        while (true)
        {
            var free = FreeBytes;
            if (free < bytes)
            {
                Interlocked.Increment(ref _refusals);
                throw new IOException("No space left on device", Enospc);
            }

            if (Interlocked.CompareExchange(ref _freeBytes, free == long.MaxValue ? free : free - bytes, free) == free)
                return;
        }
    }

    private sealed class FaultyFile(string path, FaultyDisk disk)
        : FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            disk.Claim(Position + count - Length);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            disk.Claim(Position + buffer.Length - Length);
            base.Write(buffer);
        }

        public override void SetLength(long value)
        {
            disk.Claim(value - Length);
            base.SetLength(value);
        }

        public override void Flush(bool flushToDisk)
        {
            if (flushToDisk && disk.FailNextSync)
            {
                disk.FailNextSync = false;
                throw new IOException("Input/output error", Eio);
            }

            base.Flush(flushToDisk);
        }
    }
}
