using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// An RS-485 line with several devices on it, each running the firmware's own Modbus slave: every drop hears what the
/// master sends and answers on the shared line, so only the one addressed answers (Modbus over Serial Line V1.02 §2.2).
/// A pump thread copies what arrives from the master to each drop's receiver; sending takes the line in turn.
/// </summary>
public sealed class MultidropLine : IDisposable
{
    private readonly ISerialLink _line;
    private readonly Lock _gate = new();
    private readonly List<Drop> _drops = [];
    private readonly Thread _pump;
    private volatile bool _stopping;

    /// <param name="line">The master's side of the line: a pty, a serial device or a serial-to-Ethernet converter.</param>
    public MultidropLine(ISerialLink line)
    {
        _line = line ?? throw new ArgumentNullException(nameof(line));
        _pump = new Thread(Pump) { IsBackground = true, Name = "multidrop line" };
    }

    /// <summary>A new device's connection to the line; call before <see cref="Start"/>.</summary>
    public ISerialLink Attach()
    {
        var drop = new Drop(this);
        lock (_gate)
            _drops.Add(drop);
        return drop;
    }

    /// <summary>Starts carrying the master's bytes to the drops.</summary>
    public void Start() => _pump.Start();

    public void Dispose()
    {
        _stopping = true;
        if (_pump.IsAlive && !_pump.Join(TimeSpan.FromSeconds(5)))
            throw new InvalidOperationException("The multidrop line's pump did not stop within 5 s.");
    }

    private void Pump()
    {
        var buffer = new byte[512];
        while (!_stopping)
        {
            int read;
            // The line is read and written under one lock: its transports are not made for two threads at once.
            lock (_gate)
                read = _line.Read(buffer, 0, buffer.Length, 5);
            if (read == 0)
            {
                Thread.Sleep(1);
                continue;
            }

            Drop[] drops;
            lock (_gate)
                drops = [.. _drops];
            foreach (var drop in drops)
                drop.Hear(buffer.AsSpan(0, read));
        }
    }

    private void Send(byte[] buffer, int offset, int count)
    {
        lock (_gate)
            _line.Write(buffer, offset, count);
    }

    /// <remarks>
    /// Each read of the master's side is one transmission (a request), kept apart in the drop's receiver: a device
    /// thread that was not scheduled for a while must not find two requests run together, since on the line a silence
    /// of at least 3.5 characters separated them (Modbus over Serial Line V1.02 §2.5.1.1) and its slave would take
    /// them for one garbled frame and lose the one addressed to it.
    /// </remarks>
    private sealed class Drop(MultidropLine line) : ISerialLink
    {
        private readonly Queue<byte[]> _transmissions = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private byte[]? _current;
        private int _read;
        private bool _endOfTransmission;

        public int BaudRate => line._line.BaudRate;

        public void Hear(ReadOnlySpan<byte> bytes)
        {
            lock (_transmissions)
                _transmissions.Enqueue(bytes.ToArray());
            _arrived.Release();
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            var deadline = Environment.TickCount64 + Math.Max(0, timeoutMilliseconds);
            while (true)
            {
                lock (_transmissions)
                {
                    if (_current is null && _transmissions.Count > 0)
                    {
                        if (_endOfTransmission)
                        {
                            // The silence that followed the transmission just read: the slave ends its frame here.
                            _endOfTransmission = false;
                            return 0;
                        }

                        _current = _transmissions.Dequeue();
                        _read = 0;
                    }

                    if (_current is not null)
                    {
                        int n = Math.Min(count, _current.Length - _read);
                        Array.Copy(_current, _read, buffer, offset, n);
                        _read += n;
                        if (_read == _current.Length)
                        {
                            _current = null;
                            _endOfTransmission = true;
                        }

                        return n;
                    }
                }

                var left = deadline - Environment.TickCount64;
                if (left <= 0 || !_arrived.Wait((int)left))
                {
                    lock (_transmissions)
                        _endOfTransmission = false;
                    return 0;
                }
            }
        }

        public void Write(byte[] buffer, int offset, int count) => line.Send(buffer, offset, count);

        public void DiscardInput()
        {
            lock (_transmissions)
            {
                _transmissions.Clear();
                _current = null;
                _endOfTransmission = false;
            }
        }
    }
}
