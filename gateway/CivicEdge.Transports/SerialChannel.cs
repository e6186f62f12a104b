using System.IO.Ports;

namespace CivicEdge.Transports;

/// <summary>
/// A serial line through System.IO.Ports: an RS-485 or RS-232 adapter, or a pty for tests. The port opens on the
/// first <see cref="OpenAsync"/>, not in the constructor, so that a gateway starts even while an adapter is missing.
/// Handshake lines are left alone: RS-485 adapters switch direction by themselves, and a pty refuses the DTR/RTS ioctls.
/// </summary>
public sealed class SerialChannel : IByteChannel
{
    private readonly SerialChannelOptions _options;
    private readonly TimeProvider _timeProvider;
    private SerialPort? _port;
    private Stream? _stream;
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

    public bool IsOpen => _port is { IsOpen: true };

    public int Available
    {
        get
        {
            try
            {
                return _port is { IsOpen: true } port ? port.BytesToRead : 0;
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

        _port = port;
        _stream = port.BaseStream;
        return ValueTask.FromResult(true);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = Current;
        var deadline = ArmDeadline();
        var registration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        try
        {
            await stream.WriteAsync(data, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"Writing to {Name} did not finish within {_options.ReadTimeout.TotalMilliseconds:0} ms.");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            throw new IOException($"Writing to {Name} failed: {e.Message}", e);
        }
        finally
        {
            registration.Dispose();
            _deadline.TryReset();
        }
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var stream = Current;
        var deadline = ArmDeadline();
        var registration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        try
        {
            return await stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"No byte from {Name} within {_options.ReadTimeout.TotalMilliseconds:0} ms.");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            throw new IOException($"Reading from {Name} failed: {e.Message}", e);
        }
        finally
        {
            registration.Dispose();
            _deadline.TryReset();
        }
    }

    public void Close()
    {
        var port = _port;
        _port = null;
        _stream = null;
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

    private Stream Current =>
        _stream is { } stream && IsOpen ? stream : throw new IOException($"The serial port {Name} is not open.");

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

    private CancellationTokenSource NewDeadline() => new(Timeout.InfiniteTimeSpan, _timeProvider);
}
