using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A staging area in memory with the boot loader behind it, for the host build: it outlives a simulated reboot (hand
/// the same instance to the next boot), cuts a write short as a power loss does (<see cref="TearNextWriteAfter"/>), and
/// at <see cref="Boot"/> does what a boot loader does at reset: starts a bootable image, or the previous one again
/// after a rollback.
/// </summary>
public sealed class MemoryUpdateStorage : IUpdateStorage
{
    private readonly object _gate = new();
    private readonly byte[] _staging;
    private byte[] _running;
    private byte[]? _previous;
    private int _bootable = -1;
    private bool _rollBackDue;
    private int _tearAfter = -1;
    private int _tearCovering = -1;
    private int _keepOnCovering;

    /// <param name="capacity">The staging area's size in bytes.</param>
    /// <param name="runningImage">The image the device runs from the factory.</param>
    public MemoryUpdateStorage(int capacity, byte[] runningImage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(runningImage);
        _staging = new byte[capacity];
        _running = (byte[])runningImage.Clone();
        Array.Fill(_staging, (byte)0xFF);
    }

    public int Capacity => _staging.Length;

    /// <summary>The image the device runs since the last <see cref="Boot"/>.</summary>
    public byte[] RunningImage
    {
        get
        {
            lock (_gate)
                return (byte[])_running.Clone();
        }
    }

    /// <summary>Bytes written to the staging area so far (the wire cost of an update lands here).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes cut short by a simulated power loss.</summary>
    public int TornWrites { get; private set; }

    /// <summary>Erases of the staging area.</summary>
    public int Erases { get; private set; }

    /// <summary>The next write keeps only its first <paramref name="bytes"/> bytes and then fails, as if power were lost.</summary>
    public void TearNextWriteAfter(int bytes)
    {
        lock (_gate)
            _tearAfter = bytes;
    }

    /// <summary>The first write that covers staging offset <paramref name="offset"/> keeps only <paramref name="bytes"/> bytes and then fails, as if power were lost.</summary>
    public void TearWriteCovering(int offset, int bytes)
    {
        lock (_gate)
        {
            _tearCovering = offset;
            _tearAfter = -1;
            _keepOnCovering = bytes;
        }
    }

    public void Erase()
    {
        lock (_gate)
        {
            Array.Fill(_staging, (byte)0xFF);
            _bootable = -1;
            Erases++;
        }
    }

    public void Write(int offset, byte[] data, int index, int count)
    {
        lock (_gate)
        {
            CheckRange(offset, count);
            if (_tearCovering >= offset && _tearCovering < offset + count)
            {
                _tearCovering = -1;
                _tearAfter = _keepOnCovering;
            }

            if (_tearAfter >= 0)
            {
                int kept = Math.Min(_tearAfter, count);
                _tearAfter = -1;
                Array.Copy(data, index, _staging, offset, kept);
                BytesWritten += kept;
                TornWrites++;
                throw new PowerLossException("update", kept, count);
            }

            Array.Copy(data, index, _staging, offset, count);
            BytesWritten += count;
        }
    }

    public void Read(int offset, byte[] into, int index, int count)
    {
        lock (_gate)
        {
            CheckRange(offset, count);
            Array.Copy(_staging, offset, into, index, count);
        }
    }

    public void MarkBootable(int length)
    {
        lock (_gate)
        {
            CheckRange(0, length);
            _bootable = length;
        }
    }

    public void ConfirmRunning()
    {
        lock (_gate)
            _previous = null;
    }

    public void RollBack()
    {
        lock (_gate)
            _rollBackDue = true;
    }

    /// <summary>
    /// What the boot loader does at reset: the previous image after a rollback, else a bootable staged image (the
    /// running one is kept as the previous), else the running image again. Returns the image that now runs.
    /// </summary>
    public byte[] Boot()
    {
        lock (_gate)
        {
            if (_rollBackDue && _previous is not null)
            {
                _running = _previous;
                _previous = null;
            }
            else if (_bootable > 0)
            {
                _previous = _running;
                _running = _staging.AsSpan(0, _bootable).ToArray();
            }

            _rollBackDue = false;
            _bootable = -1;
            return (byte[])_running.Clone();
        }
    }

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > _staging.Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"The range {offset}+{count} lies outside a staging area of {_staging.Length} bytes.");
    }
}
