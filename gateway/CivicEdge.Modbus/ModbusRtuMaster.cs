using System.Runtime.CompilerServices;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LineParity = CivicEdge.Transports.SerialParity;
using SilenceParity = CivicEdge.Protocols.Modbus.SerialParity;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus RTU master on one serial line (MODBUS over Serial Line Specification V1.02), over any byte channel: a
/// <see cref="SerialChannel"/> on an RS-485 adapter, or a TCP connection to a serial-to-Ethernet converter (RTU over TCP).
/// The line is half duplex: one transaction at a time, callers queue. Before each request the master waits for t3.5
/// of silence and throws away stray bytes; it skips garbage in front of an answer, ignores answers from other units,
/// and never drops the link because one slave is silent.
/// </summary>
public sealed partial class ModbusRtuMaster : IModbusMaster
{
    // Room for the largest frame, garbage in front of it, and a late answer behind it.
    private const int ReceiveCapacity = 4 * ModbusRtuFramer.MaxAduLength;

    // Waits shorter than this are spun rather than left to a timer (see WaitAsync).
    private static readonly TimeSpan SpinBelow = TimeSpan.FromMilliseconds(2);

    private readonly IByteChannel _channel;
    private readonly ModbusSilentInterval _silence;
    private readonly TimeSpan _responseTimeout;
    private readonly TimeSpan _turnaroundDelay;
    private readonly TimeSpan _broadcastDelay;
    private readonly int _retries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ModbusMasterStatistics _statistics = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LineTimer _lineTimer;
    private readonly byte[] _request = new byte[ModbusRtuFramer.MaxAduLength];
    private readonly byte[] _received = new byte[ReceiveCapacity];
    private int _receivedCount;
    private DateTimeOffset _quietFrom;
    private CancellationTokenSource _responseDeadline;
    private bool _everOpened;
    private bool _linkDown;
    private bool _disposed;

    /// <summary>A master on <paramref name="channel"/>, which it owns from now on and disposes.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public ModbusRtuMaster(IByteChannel channel, ModbusRtuMasterOptions options, TimeProvider? timeProvider = null, ILogger<ModbusRtuMaster>? logger = null)
        : this(channel, options, ModbusSilentInterval.For(options?.BaudRate ?? 9600), timeProvider, logger)
    {
    }

    private ModbusRtuMaster(IByteChannel channel, ModbusRtuMasterOptions options, ModbusSilentInterval silence, TimeProvider? timeProvider, ILogger<ModbusRtuMaster>? logger)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _channel = channel;
        _silence = silence;
        _responseTimeout = options.ResponseTimeout;
        _turnaroundDelay = options.TurnaroundDelay;
        _broadcastDelay = options.BroadcastDelay;
        _retries = options.Retries;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModbusRtuMaster>.Instance;
        _responseDeadline = NewDeadline();
        _lineTimer = new LineTimer(_timeProvider);
        _quietFrom = _timeProvider.GetUtcNow();
    }

    /// <summary>A master on the serial line <paramref name="line"/>; t3.5 follows the line's baud rate and character format.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static ModbusRtuMaster OverSerial(
        SerialChannelOptions line, ModbusRtuMasterOptions options, TimeProvider? timeProvider = null, ILogger<ModbusRtuMaster>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        var channel = new SerialChannel(line, timeProvider);
        var parity = line.Parity switch
        {
            LineParity.Even => SilenceParity.Even,
            LineParity.Odd => SilenceParity.Odd,
            _ => SilenceParity.None,
        };
        return new ModbusRtuMaster(channel, options, ModbusSilentInterval.For(line.BaudRate, parity, line.StopBits, line.DataBits), timeProvider, logger);
    }

    /// <summary>
    /// A master speaking RTU frames over TCP to a serial-to-Ethernet converter at <paramref name="host"/>:<paramref name="port"/>;
    /// <see cref="ModbusRtuMasterOptions.BaudRate"/> is the speed of the line behind it.
    /// </summary>
    public static ModbusRtuMaster OverTcp(
        string host, int port, ModbusRtuMasterOptions options, TimeSpan? connectTimeout = null, TimeProvider? timeProvider = null, ILogger<ModbusRtuMaster>? logger = null) =>
        new(new TcpClientChannel(host, port, connectTimeout ?? TimeSpan.FromSeconds(3), timeProvider), options, timeProvider, logger);

    /// <summary>Where the master's link leads: the device path or <c>host:port</c>.</summary>
    public string Endpoint => _channel.Name;

    /// <summary>The silent intervals of the line.</summary>
    public ModbusSilentInterval SilentInterval => _silence;

    /// <summary>A snapshot of the counters.</summary>
    public ModbusMasterCounters Counters => _statistics.Snapshot();

    /// <inheritdoc />
    public ValueTask<ModbusResult> ReadRegistersAsync(
        byte unitId, RegisterTable table, ushort address, Memory<ushort> destination, CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.ReadRegisters(unitId, table, address, destination), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusResult> WriteRegistersAsync(
        byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.Write(unitId, address, values), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusResult> ReadBitsAsync(
        byte unitId, RegisterTable table, ushort address, Memory<bool> destination, CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.ReadBits(unitId, table, address, destination), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusResult> WriteCoilsAsync(
        byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.WriteCoils(unitId, address, values), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusResult> ReadWriteRegistersAsync(
        byte unitId, ushort readAddress, Memory<ushort> destination, ushort writeAddress, ReadOnlyMemory<ushort> values,
        CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.ReadWriteRegisters(unitId, readAddress, destination, writeAddress, values), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusDeviceIdentificationResult> ReadDeviceIdentificationAsync(
        byte unitId, ModbusReadDeviceIdCode code, byte objectId, CancellationToken cancellationToken) =>
        DeviceIdentificationSink.ReadAsync(TransactAsync, unitId, code, objectId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusResult> ReadFileRecordAsync(
        byte unitId, ushort file, ushort record, Memory<byte> destination, CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.ReadFileRecord(unitId, file, record, destination), cancellationToken);

    /// <inheritdoc />
    public ValueTask<ModbusResult> WriteFileRecordAsync(
        byte unitId, ushort file, ushort record, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        TransactAsync(ModbusTransaction.WriteFileRecord(unitId, file, record, data), cancellationToken);

    /// <summary>Waits for the transaction on the line, if any, then closes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            _channel.Dispose();
            _responseDeadline.Dispose();
            _lineTimer.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    public override string ToString() => $"Modbus RTU master {Endpoint}";

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ModbusResult> TransactAsync(ModbusTransaction transaction, CancellationToken cancellationToken)
    {
        transaction.RefuseBroadcastUnlessWrite();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int attempt = 0; ; attempt++)
            {
                var result = await AttemptAsync(transaction, cancellationToken).ConfigureAwait(false);
                if (result.Outcome is ModbusOutcome.Ok or ModbusOutcome.Exception || attempt >= _retries)
                    return result;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ModbusResult> AttemptAsync(ModbusTransaction transaction, CancellationToken cancellationToken)
    {
        int aduLength;
        try
        {
            if (await _channel.OpenAsync(cancellationToken).ConfigureAwait(false))
                OnOpened();
            await AwaitSilenceAsync(cancellationToken).ConfigureAwait(false);
            aduLength = EncodeRequest(transaction);
            await _channel.SendAsync(_request.AsMemory(0, aduLength), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return TransportFailed(e.Message);
        }

        _statistics.Requested();
        if (transaction.UnitId == ModbusRtuFramer.BroadcastUnitId)
            return await BroadcastSentAsync(aduLength, cancellationToken).ConfigureAwait(false);

        bool crcMismatch = false;
        var deadline = ArmDeadline();
        var registration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        try
        {
            while (true)
            {
                if (TryTakeResponse(transaction, ref crcMismatch, out var result))
                {
                    MarkLineActive(TimeSpan.Zero);
                    return result;
                }

                if (_receivedCount == _received.Length)
                {
                    // Never happens with a frame of at most 256 bytes and resynchronisation, but a full buffer must
                    // not stall the receive loop.
                    _statistics.Skipped(_receivedCount);
                    _receivedCount = 0;
                }

                int received = await _channel.ReceiveAsync(_received.AsMemory(_receivedCount), deadline.Token).ConfigureAwait(false);
                if (received == 0)
                    return TransportFailed("the link was closed by the other end");
                _receivedCount += received;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The link stays open: a silent slave says nothing about the others on the bus.
            MarkLineActive(TimeSpan.Zero);
            if (_receivedCount > 0)
                _statistics.Skipped(_receivedCount);
            if (crcMismatch)
            {
                _statistics.CrcFailed();
                LogCrcError(_logger, Endpoint, transaction.ToString(), Convert.ToHexString(_received, 0, _receivedCount));
                return new ModbusResult(ModbusOutcome.Malformed,
                    Detail: $"CRC error in the answer from {Endpoint} unit {transaction.UnitId}, and no good answer within {_responseTimeout.TotalMilliseconds:0} ms");
            }

            _statistics.TimedOut();
            LogTimeout(_logger, Endpoint, transaction.ToString(), _responseTimeout.TotalMilliseconds);
            return new ModbusResult(ModbusOutcome.Timeout,
                Detail: $"no response from {Endpoint} unit {transaction.UnitId} within {_responseTimeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            MarkLineActive(TimeSpan.Zero);
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (IOException e)
        {
            return TransportFailed(e.Message);
        }
        finally
        {
            registration.Dispose();
            _responseDeadline.TryReset();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ModbusResult> BroadcastSentAsync(int aduLength, CancellationToken cancellationToken)
    {
        // §2.4.1: no slave answers a broadcast; the master waits the turnaround delay so that all have acted on it
        // before the next request. The request itself is still on the wire while the send call returns.
        _statistics.Broadcast();
        var wait = _silence.WireTime(aduLength) + _broadcastDelay;
        await _lineTimer.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        MarkLineActive(TimeSpan.Zero);
        return ModbusResult.Ok;
    }

    /// <summary>
    /// Waits until the line has been quiet for t3.5 (plus the turnaround delay) so that the request is not taken for
    /// the tail of another frame (§2.5.1.1), and throws away whatever arrived since the last transaction.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitSilenceAsync(CancellationToken cancellationToken)
    {
        if (_receivedCount > 0)
        {
            // Bytes that came behind the last answer, in the same read.
            _statistics.Skipped(_receivedCount);
            LogStrayBytes(_logger, Endpoint, _receivedCount, Convert.ToHexString(_received, 0, _receivedCount));
            _receivedCount = 0;
        }

        while (true)
        {
            int available = _channel.Available;
            if (available > 0)
            {
                int stray = await _channel.ReceiveAsync(_received, cancellationToken).ConfigureAwait(false);
                _statistics.Skipped(stray);
                LogStrayBytes(_logger, Endpoint, stray, Convert.ToHexString(_received, 0, stray));
                MarkLineActive(TimeSpan.Zero);
                continue;
            }

            var quiet = _timeProvider.GetUtcNow() - _quietFrom;
            var needed = _silence.T35 + _turnaroundDelay;
            if (quiet >= needed)
                return;
            await WaitAsync(needed - quiet, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits <paramref name="delay"/> on the dot. Timers on Linux fire a millisecond or more late, which at 115200 baud
    /// (t3.5 = 1.75 ms) would stretch every silence by half; the last stretch of a wait on the system clock is spun.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (_timeProvider != TimeProvider.System)
        {
            await _lineTimer.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            return;
        }

        long start = _timeProvider.GetTimestamp();
        if (delay > SpinBelow)
            await _lineTimer.WaitAsync(delay - SpinBelow, cancellationToken).ConfigureAwait(false);
        var spinner = default(SpinWait);
        while (_timeProvider.GetElapsedTime(start) < delay)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Notes that the line carries bytes until <paramref name="stillBusyFor"/> from now; silence counts from then.</summary>
    private void MarkLineActive(TimeSpan stillBusyFor) => _quietFrom = _timeProvider.GetUtcNow() + stillBusyFor;

    private int EncodeRequest(in ModbusTransaction transaction)
    {
        int pduLength = transaction.EncodeRequest(_request.AsSpan(ModbusRtuFramer.PduOffset));
        return ModbusRtuFramer.WriteAddressAndCrc(_request, transaction.UnitId, pduLength);
    }

    /// <summary>
    /// Takes frames off the front of the receive buffer until one answers the request. Returns false when the buffer
    /// holds no complete answer yet. Garbage is skipped by resynchronising on the next offset where a frame with a
    /// good CRC starts (§2.5.1.2); answers from other units are ignored.
    /// </summary>
    private bool TryTakeResponse(in ModbusTransaction transaction, ref bool crcMismatch, out ModbusResult result)
    {
        result = default;
        while (_receivedCount > 0)
        {
            ReadOnlySpan<byte> buffered = _received.AsSpan(0, _receivedCount);
            var frame = ModbusRtuFramer.FrameResponse(buffered);
            if (frame.Status == ModbusDecodeStatus.NeedMoreData)
                return false;

            if (frame.Status == ModbusDecodeStatus.Malformed)
            {
                crcMismatch |= frame.Error == ModbusRtuFrameError.CrcMismatch;
                var resync = ModbusRtuFramer.ResynchroniseResponse(buffered);
                _statistics.Skipped(resync.Skipped);
                LogSkipped(_logger, Endpoint, resync.Skipped, frame.Reason ?? frame.Error.ToString(), Convert.ToHexString(buffered[..resync.Skipped]));
                Consume(resync.Skipped);
                continue;
            }

            if (frame.UnitId != transaction.UnitId)
            {
                _statistics.Discarded();
                LogWrongUnit(_logger, Endpoint, frame.UnitId, transaction.UnitId);
                Consume(frame.Length);
                continue;
            }

            var pdu = frame.Pdu(buffered);
            result = _statistics.Judge(transaction.DecodeResponse(pdu), pdu.Length, out var problem);
            if (problem is not null)
                LogMalformedPdu(_logger, Endpoint, problem, Convert.ToHexString(pdu));
            Consume(frame.Length);
            return true;
        }

        return false;
    }

    private void Consume(int length)
    {
        _received.AsSpan(length, _receivedCount - length).CopyTo(_received);
        _receivedCount -= length;
    }

    private void OnOpened()
    {
        _receivedCount = 0;
        if (_everOpened)
            _statistics.Reconnected();
        _everOpened = true;
        if (_linkDown)
            LogLinkRestored(_logger, Endpoint);
        else
            LogOpened(_logger, Endpoint);
        _linkDown = false;
    }

    private ModbusResult TransportFailed(string reason)
    {
        _statistics.TransportFailed();
        _channel.Close();
        _receivedCount = 0;

        // Log the fall, not every failed poll while the link stays down.
        if (!_linkDown)
            LogLinkDown(_logger, Endpoint, reason);
        _linkDown = true;
        return new ModbusResult(ModbusOutcome.TransportError, Detail: $"{Endpoint}: {reason}");
    }

    private CancellationTokenSource ArmDeadline()
    {
        // A source whose timer fired cannot be reset; only then is a new one needed.
        if (!_responseDeadline.TryReset())
        {
            _responseDeadline.Dispose();
            _responseDeadline = NewDeadline();
        }

        _responseDeadline.CancelAfter(_responseTimeout);
        return _responseDeadline;
    }

    private CancellationTokenSource NewDeadline() => new(Timeout.InfiniteTimeSpan, _timeProvider);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opened Modbus RTU line {Endpoint}")]
    private static partial void LogOpened(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus RTU line {Endpoint} restored")]
    private static partial void LogLinkRestored(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus RTU line {Endpoint} down: {Reason}")]
    private static partial void LogLinkDown(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No response on {Endpoint} to {Transaction} within {TimeoutMs} ms")]
    private static partial void LogTimeout(ILogger logger, string endpoint, string transaction, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CRC error on {Endpoint} answering {Transaction}. Bytes: {FrameHex}")]
    private static partial void LogCrcError(ILogger logger, string endpoint, string transaction, string frameHex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped {Count} bytes on {Endpoint} to resynchronise ({Reason}). Bytes: {FrameHex}")]
    private static partial void LogSkipped(ILogger logger, string endpoint, int count, string reason, string frameHex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discarded {Count} stray bytes on {Endpoint} before a request. Bytes: {FrameHex}")]
    private static partial void LogStrayBytes(ILogger logger, string endpoint, int count, string frameHex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored an answer on {Endpoint} from unit {UnitId} while waiting for unit {ExpectedUnitId}")]
    private static partial void LogWrongUnit(ILogger logger, string endpoint, byte unitId, byte expectedUnitId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed response on {Endpoint}: {Reason}. PDU: {FrameHex}")]
    private static partial void LogMalformedPdu(ILogger logger, string endpoint, string reason, string frameHex);
}
