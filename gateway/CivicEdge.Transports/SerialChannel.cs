using System.IO.Ports;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace CivicEdge.Transports;

/// <summary>
/// A serial line through System.IO.Ports: an RS-485 or RS-232 adapter, or a pty for tests. The port opens on the
/// first <see cref="OpenAsync"/>, not in the constructor, so that a gateway starts even while an adapter is missing.
/// Handshake lines are left alone: RS-485 adapters switch direction by themselves, and a pty refuses the DTR/RTS ioctls.
/// </summary>
/// <remarks>
/// System.IO.Ports only sets the line up (termios). Bytes go through a descriptor of the channel's own, in non-blocking
/// mode, because the port's stream hands every read and write to a loop that polls in 1 ms steps: a write queued while
/// it waits for input sits there up to a millisecond, which on a Modbus RTU line at 115200 baud is eleven characters
/// and stretches every transaction. Here a write goes straight to the driver, and a wait for input polls, on a thread
/// of the line's own, in short slices that heed cancellation and closing, so that closing the channel always ends it.
/// A send or receive allocates nothing once the line is open, so that a master polling in steady state allocates
/// nothing per transaction.
/// </remarks>
public sealed class SerialChannel : IByteChannel
{
    private readonly SerialChannelOptions _options;
    private readonly TimeProvider _timeProvider;
    private SerialPort? _port;
    private LineDescriptor? _line;
    private CancellationTokenSource _deadline;
    private bool _disposed;

    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public SerialChannel(SerialChannelOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // A copy, so that later changes to the caller's object do not reach an open port half-way.
        _options = new SerialChannelOptions
        {
            Path = options.Path,
            BaudRate = options.BaudRate,
            DataBits = options.DataBits,
            Parity = options.Parity,
            StopBits = options.StopBits,
            ReadTimeout = options.ReadTimeout,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _deadline = NewDeadline();
    }

    /// <summary>The device path.</summary>
    public string Name => _options.Path;

    /// <summary>The line settings, e.g. <c>/dev/ttyUSB0 9600 8E1</c>.</summary>
    public string Settings => _options.ToString();

    public bool IsOpen => _line is not null && _port is { IsOpen: true };

    public int Available
    {
        get
        {
            try
            {
                return _line is { } line ? line.Available() : 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                return 0;
            }
        }
    }

    /// <exception cref="IOException">The device does not exist, is not a serial port, or cannot be opened.</exception>
    public ValueTask<bool> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsOpen)
            return ValueTask.FromResult(false);
        Close();

        var path = _options.Path;
        if (!File.Exists(path))
            throw new IOException($"Serial device {path} does not exist: expected a serial port or pty at that path (check the configured path and that the adapter is plugged in).");

        var port = NewPort(ToPortParity(_options.Parity));
        try
        {
            try
            {
                port.Open();
            }
            catch (ArgumentException) when (_options.Parity == SerialParity.Even && IsPseudoTerminal(path))
            {
                // A pty carries bytes, not characters on a wire, so it has no parity bit to set; the Linux pty driver
                // rejects the even-parity termios that System.IO.Ports asks for. Parity means nothing there.
                port.Dispose();
                port = NewPort(Parity.None);
                port.Open();
            }
        }
        catch (UnauthorizedAccessException e)
        {
            port.Dispose();
            throw new IOException($"Serial device {path} cannot be opened: {e.Message} (permission denied, or another process holds it).", e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new IOException($"Serial device {path} cannot be opened as {_options}: {e.Message}", e);
        }

        LineDescriptor line;
        try
        {
            line = LineDescriptor.Open(path);
        }
        catch (IOException)
        {
            port.Dispose();
            throw;
        }

        _port = port;
        _line = line;
        return ValueTask.FromResult(true);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var line = Current;
        CancellationTokenSource? deadline = null;
        try
        {
            while (!data.IsEmpty)
            {
                int written = line.Write(data.Span);
                if (written > 0)
                {
                    data = data[written..];
                    continue;
                }

                // The driver's buffer is full, which a Modbus frame hardly ever meets: wait until it takes bytes again.
                // A write that never waits cannot hang, so the deadline is armed only here.
                deadline ??= ArmDeadline();
                await line.WaitWritableAsync(cancellationToken, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"Writing to {Name} did not finish within {_options.ReadTimeout.TotalMilliseconds:0} ms.");
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            throw new IOException($"Writing to {Name} failed: {e.Message}", e);
        }
        finally
        {
            if (deadline is not null)
                Disarm(deadline);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var line = Current;
        cancellationToken.ThrowIfCancellationRequested();
        if (buffer.IsEmpty)
            return 0;
        int received = line.Read(buffer.Span);
        if (received >= 0)
            return received;

        var deadline = ArmDeadline();
        try
        {
            while (true)
            {
                await line.WaitReadableAsync(cancellationToken, deadline.Token).ConfigureAwait(false);
                received = line.Read(buffer.Span);
                if (received >= 0)
                    return received;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"No byte from {Name} within {_options.ReadTimeout.TotalMilliseconds:0} ms.");
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            throw new IOException($"Reading from {Name} failed: {e.Message}", e);
        }
        finally
        {
            Disarm(deadline);
        }
    }

    public void Close()
    {
        var port = _port;
        var line = _line;
        _port = null;
        _line = null;
        line?.Dispose();
        port?.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        Close();
        _deadline.Dispose();
    }

    public override string ToString() => $"serial {_options}";

    private static bool IsPseudoTerminal(string path)
    {
        var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return target.StartsWith("/dev/pts/", StringComparison.Ordinal) || target == "/dev/ptmx";
    }

    private SerialPort NewPort(Parity parity) =>
        new(_options.Path, _options.BaudRate, parity, _options.DataBits, _options.StopBits == 2 ? StopBits.Two : StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = (int)_options.ReadTimeout.TotalMilliseconds,
            WriteTimeout = (int)_options.ReadTimeout.TotalMilliseconds,
        };

    private static Parity ToPortParity(SerialParity parity) => parity switch
    {
        SerialParity.Even => Parity.Even,
        SerialParity.Odd => Parity.Odd,
        _ => Parity.None,
    };

    private LineDescriptor Current =>
        _line is { } line && IsOpen ? line : throw new IOException($"The serial port {Name} is not open.");

    private CancellationTokenSource ArmDeadline()
    {
        // A source whose timer fired cannot be reset; only then is a new one needed.
        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = NewDeadline();
        }

        _deadline.CancelAfter(_options.ReadTimeout);
        return _deadline;
    }

    private static void Disarm(CancellationTokenSource deadline)
    {
        try
        {
            deadline.TryReset();
        }
        catch (ObjectDisposedException)
        {
            // The channel was disposed while the call was under way; the call's own outcome says so.
        }
    }

    private CancellationTokenSource NewDeadline() => new(Timeout.InfiniteTimeSpan, _timeProvider);

    /// <summary>The channel's own non-blocking descriptor of the device, on which bytes are read and written.</summary>
    private sealed class LineDescriptor : IDisposable
    {
        public const short Readable = 0x001;
        public const short Writable = 0x004;

        // Linux open(2) flags and ioctl request numbers (asm-generic, shared by x86-64 and arm64).
        private const int ReadWrite = 0x2;
        private const int NoControllingTerminal = 0x100;
        private const int NonBlocking = 0x800;
        private const int CloseOnExec = 0x80000;
        private const nuint BytesWaiting = 0x541B;
        private const short Error = 0x008;
        private const short HungUp = 0x010;
        private const short Invalid = 0x020;
        private const int WouldBlock = 11;
        private const int Interrupted = 4;

        // Long enough not to spin, short enough that cancellation and closing end a wait without noticeable delay.
        private const int PollSliceMilliseconds = 20;

        private readonly string _path;
        private readonly int _descriptor;
        private volatile bool _closed;

        // Waits for input, and for room to write, run on threads of the line's own: poll(2) blocks its thread, and a
        // pool thread blocked for as long as a slave waits for requests would starve the pool on a small machine.
        private readonly LineWait _readable;
        private LineWait? _writable;

        private LineDescriptor(string path, int descriptor)
        {
            _path = path;
            _descriptor = descriptor;
            _readable = new LineWait(this, Readable, $"serial {path}");
        }

        /// <summary>Completes once the device holds input; fails when the line fails or closes, or either token is cancelled.</summary>
        public ValueTask WaitReadableAsync(CancellationToken cancellationToken, CancellationToken deadline) =>
            _readable.WaitAsync(cancellationToken, deadline);

        /// <summary>Completes once the driver takes bytes again; fails as <see cref="WaitReadableAsync"/> does.</summary>
        public ValueTask WaitWritableAsync(CancellationToken cancellationToken, CancellationToken deadline)
        {
            // The driver's buffer is hardly ever full, so this thread starts on the first such wait, not with the line.
            _writable ??= new LineWait(this, Writable, $"serial {_path} writes");
            return _writable.WaitAsync(cancellationToken, deadline);
        }

        /// <exception cref="IOException">The device cannot be opened.</exception>
        public static LineDescriptor Open(string path)
        {
            int descriptor = OpenDevice(path, ReadWrite | NoControllingTerminal | NonBlocking | CloseOnExec);
            if (descriptor < 0)
                throw new IOException($"Serial device {path} cannot be opened for reading and writing: {LastError()}.");
            return new LineDescriptor(path, descriptor);
        }

        public int Available()
        {
            if (_closed || Ioctl(_descriptor, BytesWaiting, out int waiting) < 0)
                return 0;
            return waiting;
        }

        /// <summary>
        /// Reads what the driver holds, without waiting: -1 when it holds nothing yet, 0 when the other end hung up
        /// (a tty in non-blocking mode says EAGAIN for "nothing yet", so 0 means end of file).
        /// </summary>
        public int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            while (true)
            {
                nint read = ReadDevice(_descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length);
                if (read >= 0)
                    return (int)read;
                int error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                    continue;
                if (error == WouldBlock)
                    return -1;
                throw new IOException($"Reading from {_path} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
            }
        }

        /// <summary>Hands bytes to the driver, without waiting; 0 when its buffer is full.</summary>
        public int Write(ReadOnlySpan<byte> data)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            while (true)
            {
                nint written = WriteDevice(_descriptor, ref MemoryMarshal.GetReference(data), data.Length);
                if (written >= 0)
                    return (int)written;
                int error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                    continue;
                if (error == WouldBlock)
                    return 0;
                throw new IOException($"Writing to {_path} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
            }
        }

        /// <summary>Blocks its thread until the device is <paramref name="events"/>, the line fails, or either token is cancelled.</summary>
        public void WaitUntil(short events, CancellationToken cancellationToken, CancellationToken deadline)
        {
            var watched = new PollDescriptor { Descriptor = _descriptor, Events = events };
            while (true)
            {
                ObjectDisposedException.ThrowIf(_closed, this);
                cancellationToken.ThrowIfCancellationRequested();
                deadline.ThrowIfCancellationRequested();
                watched.Returned = 0;
                int ready = Poll(ref watched, 1, PollSliceMilliseconds);
                if (ready < 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == Interrupted)
                        continue;
                    throw new IOException($"Waiting on {_path} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
                }

                ObjectDisposedException.ThrowIf(_closed, this);
                if ((watched.Returned & events) != 0)
                    return;
                if ((watched.Returned & (Error | HungUp | Invalid)) != 0)
                    throw new IOException($"The line {_path} hung up or failed (poll events 0x{watched.Returned:X}).");
            }
        }

        public void Dispose()
        {
            if (_closed)
                return;
            _closed = true;
            _ = CloseDevice(_descriptor);
        }

        private static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

        private ObjectDisposedException ClosedError() => new(nameof(SerialChannel), $"The serial port {_path} was closed.");

        /// <summary>
        /// Waits until the device is ready for one kind of I/O, one wait at a time, on a thread of its own. The wait is
        /// a reusable <see cref="IValueTaskSource"/>, not a new task per wait, so that waiting allocates nothing.
        /// </summary>
        private sealed class LineWait : IValueTaskSource
        {
            private readonly LineDescriptor _line;
            private readonly short _events;
            private readonly SemaphoreSlim _wanted = new(0);
            private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };
            private CancellationToken _cancellation;
            private CancellationToken _deadline;

            // 1 from the moment a wait is posted until one side completes it: the thread, or a caller that finds the
            // line closed after posting.
            private int _pending;

            public LineWait(LineDescriptor line, short events, string threadName)
            {
                _line = line;
                _events = events;
                new Thread(Serve) { IsBackground = true, Name = threadName }.Start();
            }

            public ValueTask WaitAsync(CancellationToken cancellationToken, CancellationToken deadline)
            {
                ObjectDisposedException.ThrowIf(_line._closed, _line);
                _completion.Reset();
                _cancellation = cancellationToken;
                _deadline = deadline;
                Volatile.Write(ref _pending, 1);
                _wanted.Release();

                // The thread may have left its loop on closing just before the wait was posted; then nobody else ends it.
                if (_line._closed)
                    Complete(_line.ClosedError());
                return new ValueTask(this, _completion.Version);
            }

            public void GetResult(short token) => _completion.GetResult(token);

            public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

            public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
                _completion.OnCompleted(continuation, state, token, flags);

            private void Serve()
            {
                while (!_line._closed)
                {
                    if (!_wanted.Wait(PollSliceMilliseconds) || Volatile.Read(ref _pending) == 0)
                        continue;
                    try
                    {
                        _line.WaitUntil(_events, _cancellation, _deadline);
                        Complete(null);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
                    {
                        Complete(e);
                    }
                }

                Complete(_line.ClosedError());
            }

            private void Complete(Exception? failure)
            {
                if (Interlocked.Exchange(ref _pending, 0) == 0)
                    return;
                if (failure is null)
                    _completion.SetResult(true);
                else
                    _completion.SetException(failure);
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct PollDescriptor
        {
            public int Descriptor;
            public short Events;
            public short Returned;
        }

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int OpenDevice([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int CloseDevice(int descriptor);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        private static extern nint ReadDevice(int descriptor, ref byte buffer, nint count);

        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        private static extern nint WriteDevice(int descriptor, ref byte buffer, nint count);

        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        private static extern int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);

        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        private static extern int Ioctl(int descriptor, nuint request, out int value);
    }
}
