using System.Net;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Simulators.MeterLines;

/// <summary>
/// Serves a simulated meter line: on a serial device (one end of a socat pty pair, or a real port), or on TCP as a
/// transparent serial-to-Ethernet converter does (one master connection at a time). Requests are framed as they arrive
/// and noise between them is skipped; each answer is paced at the line's baud rate (a 100-byte M-Bus telegram takes
/// about 0.46 s at 2400 Bd, 11 bits per character) and may be replaced by a fault of <see cref="MeterFaultPlan"/>.
/// </summary>
public sealed partial class MeterLineServer : IAsyncDisposable
{
    private static readonly TimeSpan ReopenDelay = TimeSpan.FromSeconds(1);

    private readonly IMeterLineProtocol _line;
    private readonly MeterFaultPlan _faults;
    private readonly SerialChannelOptions? _serial;
    private readonly IPEndPoint? _endpoint;
    private readonly int _baud;
    private readonly int _bitsPerCharacter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private SerialChannel? _channel;
    private TcpConnectionListener? _listener;
    private Task _serving = Task.CompletedTask;
    private long _requests;
    private long _answers;
    private long _faultsInjected;

    private MeterLineServer(IMeterLineProtocol line, MeterFaultPlan faults, SerialChannelOptions? serial, IPEndPoint? endpoint, int baud, int bitsPerCharacter, Random random, TimeProvider? timeProvider, ILogger? logger)
    {
        _line = line ?? throw new ArgumentNullException(nameof(line));
        _faults = faults ?? throw new ArgumentNullException(nameof(faults));
        _serial = serial;
        _endpoint = endpoint;
        _baud = baud;
        _bitsPerCharacter = bitsPerCharacter;
        _random = random;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A line on a serial device, paced at its baud rate.</summary>
    public static MeterLineServer OnSerial(IMeterLineProtocol line, SerialChannelOptions serial, MeterFaultPlan faults, Random random, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(serial);
        serial.Validate();
        return new MeterLineServer(line, faults, serial, null, serial.BaudRate, serial.BitsPerCharacter, random, timeProvider, logger);
    }

    /// <summary>A line behind a transparent converter on <paramref name="endpoint"/>, paced at the baud rate of the serial side it stands for.</summary>
    public static MeterLineServer OnTcp(IMeterLineProtocol line, IPEndPoint endpoint, int baud, MeterFaultPlan faults, Random random, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(baud, 50);
        // 8E1: 11 bits per character, the meter protocols' framing (EN 13757-2 §4, DL/T 645-2007 §4.1).
        return new MeterLineServer(line, faults, null, endpoint, baud, 11, random, timeProvider, logger);
    }

    /// <summary>Requests framed, answers sent, faults injected so far.</summary>
    public (long Requests, long Answers, long Faults) Counters => (Interlocked.Read(ref _requests), Interlocked.Read(ref _answers), Interlocked.Read(ref _faultsInjected));

    /// <summary>Opens the device or the listener and starts serving; returns where (the device path, or HOST:PORT).</summary>
    /// <exception cref="IOException">The device cannot be opened.</exception>
    public async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        if (_serial is not null)
        {
            _channel = new SerialChannel(
                new SerialChannelOptions
                {
                    Path = _serial.Path,
                    BaudRate = _serial.BaudRate,
                    DataBits = _serial.DataBits,
                    Parity = _serial.Parity,
                    StopBits = _serial.StopBits,
                    ReadTimeout = TimeSpan.FromMilliseconds(int.MaxValue),
                },
                _timeProvider);
            await _channel.OpenAsync(cancellationToken).ConfigureAwait(false);
            _serving = ServeSerialAsync(_channel, _stopping.Token);
            return _serial.Path;
        }

        _listener = TcpConnectionListener.Start(_endpoint!);
        _serving = ServeTcpAsync(_listener, _stopping.Token);
        return $"{_listener.LocalEndPoint.Address}:{_listener.LocalEndPoint.Port}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // A read on a serial port does not always heed cancellation: closing the port ends it.
        _channel?.Dispose();
        _listener?.Dispose();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped.
        }
        _stopping.Dispose();
        LogStopped(_logger, _line.Name, Counters.Requests, Counters.Answers, Counters.Faults);
    }

    private async Task ServeSerialAsync(SerialChannel channel, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await channel.OpenAsync(stopping).ConfigureAwait(false);
                await SessionAsync(channel.ReceiveAsync, channel.SendAsync, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                return;
            }
            catch (IOException e)
            {
                LogLineFailed(_logger, channel.Name, e.Message);
            }

            channel.Close();
            try
            {
                await Task.Delay(ReopenDelay, _timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ServeTcpAsync(TcpConnectionListener listener, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            TcpConnection connection;
            try
            {
                connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                return;
            }

            using (connection)
            {
                LogConnected(_logger, _line.Name, connection.ToString());
                try
                {
                    await SessionAsync(connection.ReceiveAsync, connection.SendAsync, stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The master went away, or the server stops; a converter then waits for the next master.
                }
            }
        }
    }

    private async Task SessionAsync(
        Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send, CancellationToken stopping)
    {
        var buffer = new byte[1024];
        var count = 0;
        while (true)
        {
            var read = await receive(buffer.AsMemory(count), stopping).ConfigureAwait(false);
            if (read == 0)
                return;
            count += read;
            while (count > 0)
            {
                var scan = _line.Scan(buffer.AsSpan(0, count));
                if (scan == 0)
                {
                    if (count == buffer.Length)
                        scan = -1;
                    else
                        break;
                }
                if (scan < 0)
                {
                    var drop = Math.Min(-scan, count);
                    Array.Copy(buffer, drop, buffer, 0, count - drop);
                    count -= drop;
                    continue;
                }

                var request = buffer.AsSpan(0, scan).ToArray();
                Array.Copy(buffer, scan, buffer, 0, count - scan);
                count -= scan;
                await AnswerAsync(request, send, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task AnswerAsync(byte[] request, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send, CancellationToken stopping)
    {
        Interlocked.Increment(ref _requests);
        _line.Update();
        var now = _timeProvider.GetUtcNow();
        if (_line.Answer(request, now) is not { } answer)
            return;

        var frame = answer.Frame;
        if (_faults.Next(answer.Address, now) is { } fault)
        {
            Interlocked.Increment(ref _faultsInjected);
            LogFault(_logger, _line.Name, fault.Kind, answer.Address);
            switch (fault.Kind)
            {
                case MeterFaultKind.NoAnswer or MeterFaultKind.Gone:
                    return;
                case MeterFaultKind.BadChecksum:
                    frame = [.. frame];
                    // The checksum is the byte before the end character in all three protocols; a lone E5 is damaged instead.
                    frame[Math.Max(0, frame.Length - 2)] ^= 0x5A;
                    break;
                case MeterFaultKind.Garbage:
                    frame = new byte[fault.Bytes];
                    _random.NextBytes(frame);
                    break;
                case MeterFaultKind.Truncated:
                    frame = frame[..Math.Max(1, frame.Length / 2)];
                    break;
                case MeterFaultKind.WrongAddress:
                    frame = answer.FromOtherAddress;
                    break;
                case MeterFaultKind.Refusal:
                    frame = answer.Refusal ?? frame;
                    break;
                case MeterFaultKind.Late:
                    await Task.Delay(fault.Delay, _timeProvider, stopping).ConfigureAwait(false);
                    break;
            }
        }

        // The wire time of the answer: a serial line cannot deliver it faster.
        await Task.Delay(TimeSpan.FromSeconds((double)frame.Length * _bitsPerCharacter / _baud), _timeProvider, stopping).ConfigureAwait(false);
        await send(frame, stopping).ConfigureAwait(false);
        Interlocked.Increment(ref _answers);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Protocol} line: injecting {Fault} into the answer of meter {Address}")]
    private static partial void LogFault(ILogger logger, string protocol, MeterFaultKind fault, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Protocol} line: master connected from {Client}")]
    private static partial void LogConnected(ILogger logger, string protocol, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter line {Line} failed: {Reason}; reopening")]
    private static partial void LogLineFailed(ILogger logger, string line, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Protocol} line stopped: {Requests} requests, {Answers} answers, {Faults} faults injected")]
    private static partial void LogStopped(ILogger logger, string protocol, long requests, long answers, long faults);
}
