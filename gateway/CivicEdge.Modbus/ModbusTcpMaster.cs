using System.Runtime.CompilerServices;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus TCP client. It connects on first use, drops a broken connection and reconnects on the next call, pairs
/// each response with its request by transaction and unit identifier, and reports field conditions as
/// <see cref="ModbusResult"/> values. One transaction is on the wire at a time; callers queue.
/// Steady-state polling reuses the request and receive buffers and allocates nothing per call.
/// </summary>
public sealed partial class ModbusTcpMaster : IModbusMaster
{
    private readonly IByteChannel _channel;
    private readonly TimeSpan _responseTimeout;
    private readonly int _retries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _request = new byte[MbapHeader.MaxAduLength];

    // Room for an answer that arrived after its timeout followed by the answer being waited for.
    private readonly byte[] _received = new byte[2 * MbapHeader.MaxAduLength];
    private int _receivedCount;
    private ushort _lastTransactionId;
    private CancellationTokenSource _responseDeadline;
    private bool _everConnected;
    private bool _linkDown;
    private bool _disposed;

    private long _requests;
    private long _responses;
    private long _timeouts;
    private long _exceptions;
    private long _malformed;
    private long _discarded;
    private long _transportErrors;
    private long _reconnects;

    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public ModbusTcpMaster(ModbusTcpMasterOptions options, TimeProvider? timeProvider = null, ILogger<ModbusTcpMaster>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModbusTcpMaster>.Instance;
        _channel = new TcpClientChannel(options.Host, options.Port, options.ConnectTimeout, _timeProvider);
        _responseTimeout = options.ResponseTimeout;
        _retries = options.Retries;
        _responseDeadline = NewDeadline();
    }

    /// <summary>The server this master talks to, as <c>host:port</c>.</summary>
    public string Endpoint => _channel.Name;

    /// <summary>A snapshot of the counters.</summary>
    public ModbusMasterCounters Counters => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _responses),
        Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _exceptions),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _discarded),
        Interlocked.Read(ref _transportErrors),
        Interlocked.Read(ref _reconnects));

    /// <inheritdoc />
    public ValueTask<ModbusResult> ReadRegistersAsync(
        byte unitId, RegisterTable table, ushort address, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        var function = table switch
        {
            RegisterTable.HoldingRegisters => ModbusFunctionCode.ReadHoldingRegisters,
            RegisterTable.InputRegisters => ModbusFunctionCode.ReadInputRegisters,
            _ => throw new ArgumentException($"Only holding and input registers are read as registers; found {table}.", nameof(table)),
        };
        if (destination.Length is < 1 or > ModbusPdu.MaxReadRegisters)
            throw new ArgumentException($"A read asks for 1..{ModbusPdu.MaxReadRegisters} registers; found {destination.Length}.", nameof(destination));
        return TransactAsync(ModbusTransaction.Read(unitId, function, address, destination), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ModbusResult> WriteRegistersAsync(
        byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken)
    {
        if (values.Length is < 1 or > ModbusPdu.MaxWriteRegisters)
            throw new ArgumentException($"A write carries 1..{ModbusPdu.MaxWriteRegisters} registers; found {values.Length}.", nameof(values));
        return TransactAsync(ModbusTransaction.Write(unitId, address, values), cancellationToken);
    }

    /// <summary>Waits for the transaction on the wire, if any, then closes the connection.</summary>
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
        }
        finally
        {
            _gate.Release();
        }
    }

    public override string ToString() => $"Modbus TCP master {Endpoint}";

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ModbusResult> TransactAsync(ModbusTransaction transaction, CancellationToken cancellationToken)
    {
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
        try
        {
            if (await _channel.OpenAsync(cancellationToken).ConfigureAwait(false))
                OnConnected();
        }
        catch (IOException e)
        {
            return TransportFailed(e.Message);
        }

        var transactionId = unchecked(++_lastTransactionId);
        int aduLength = EncodeRequest(transaction, transactionId);
        try
        {
            await _channel.SendAsync(_request.AsMemory(0, aduLength), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return TransportFailed(e.Message);
        }
        catch (OperationCanceledException)
        {
            // A request cut off half-way would leave the server parsing garbage: start the next call on a fresh stream.
            DropConnection();
            throw;
        }

        Interlocked.Increment(ref _requests);
        var deadline = ArmDeadline();
        var registration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        try
        {
            while (true)
            {
                if (TryTakeResponse(transaction, transactionId, out var result))
                    return result;
                int received = await _channel.ReceiveAsync(_received.AsMemory(_receivedCount), deadline.Token).ConfigureAwait(false);
                if (received == 0)
                    return TransportFailed("the server closed the connection");
                _receivedCount += received;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The connection stays up: behind a TCP gateway one silent slave says nothing about the others, and an
            // answer that turns up late is recognised by its transaction identifier and discarded.
            Interlocked.Increment(ref _timeouts);
            LogTimeout(_logger, Endpoint, transaction.ToString(), transactionId, _responseTimeout.TotalMilliseconds);
            return new ModbusResult(ModbusOutcome.Timeout,
                Detail: $"no response from {Endpoint} unit {transaction.UnitId} within {_responseTimeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
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

    private int EncodeRequest(ModbusTransaction transaction, ushort transactionId)
    {
        int pduLength = transaction.EncodeRequest(_request.AsSpan(MbapHeader.Size));
        return ModbusTcpFramer.WriteHeader(_request, transactionId, transaction.UnitId, pduLength);
    }

    /// <summary>
    /// Takes frames off the front of the receive buffer until one answers <paramref name="transactionId"/>.
    /// Returns false when the buffer holds no complete frame yet.
    /// </summary>
    private bool TryTakeResponse(in ModbusTransaction transaction, ushort transactionId, out ModbusResult result)
    {
        while (true)
        {
            ReadOnlySpan<byte> buffered = _received.AsSpan(0, _receivedCount);
            var frame = ModbusTcpFramer.Frame(buffered);
            if (frame.Status == ModbusDecodeStatus.NeedMoreData)
            {
                result = default;
                return false;
            }

            if (frame.Status == ModbusDecodeStatus.Malformed)
            {
                // Without a trustworthy length there is no telling where the next frame starts: resynchronise by
                // starting a new connection.
                Interlocked.Increment(ref _malformed);
                LogMalformedFrame(_logger, Endpoint, frame.Offset, frame.Reason!, Convert.ToHexString(buffered));
                DropConnection();
                result = new ModbusResult(ModbusOutcome.Malformed, Detail: $"MBAP header at offset {frame.Offset}: {frame.Reason}");
                return true;
            }

            var header = frame.Header;
            if (header.TransactionId != transactionId || header.UnitId != transaction.UnitId)
            {
                Interlocked.Increment(ref _discarded);
                LogDiscarded(_logger, Endpoint, header.TransactionId, header.UnitId, transactionId, transaction.UnitId);
                Consume(frame.Length);
                continue;
            }

            var pdu = frame.Pdu(buffered);
            result = Interpret(transaction.DecodeResponse(pdu), pdu);
            Consume(frame.Length);
            return true;
        }
    }

    private ModbusResult Interpret(ModbusResponse response, ReadOnlySpan<byte> pdu)
    {
        string? problem = response.Status switch
        {
            ModbusDecodeStatus.Complete when response.Length != pdu.Length =>
                $"expected a PDU of {response.Length} bytes, found {pdu.Length} as the MBAP length announces",
            ModbusDecodeStatus.Complete => null,
            ModbusDecodeStatus.NeedMoreData =>
                $"expected a PDU of at least {response.Length} bytes, found {pdu.Length} as the MBAP length announces",
            _ => $"PDU offset {response.Offset}: {response.Reason}",
        };
        if (problem is not null)
        {
            Interlocked.Increment(ref _malformed);
            LogMalformedPdu(_logger, Endpoint, problem, Convert.ToHexString(pdu));
            return new ModbusResult(ModbusOutcome.Malformed, Detail: problem);
        }

        Interlocked.Increment(ref _responses);
        if (!response.IsException)
            return ModbusResult.Ok;
        Interlocked.Increment(ref _exceptions);
        return new ModbusResult(ModbusOutcome.Exception, response.ExceptionCode);
    }

    private void Consume(int length)
    {
        _received.AsSpan(length, _receivedCount - length).CopyTo(_received);
        _receivedCount -= length;
    }

    private void OnConnected()
    {
        // Whatever was buffered belonged to the old stream.
        _receivedCount = 0;
        if (_everConnected)
            Interlocked.Increment(ref _reconnects);
        _everConnected = true;
        if (_linkDown)
            LogLinkRestored(_logger, Endpoint);
        else
            LogConnected(_logger, Endpoint);
        _linkDown = false;
    }

    private ModbusResult TransportFailed(string reason)
    {
        Interlocked.Increment(ref _transportErrors);
        DropConnection();

        // Log the fall, not every failed poll while the link stays down.
        if (!_linkDown)
            LogLinkDown(_logger, Endpoint, reason);
        _linkDown = true;
        return new ModbusResult(ModbusOutcome.TransportError, Detail: $"{Endpoint}: {reason}");
    }

    private void DropConnection()
    {
        _channel.Close();
        _receivedCount = 0;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to Modbus TCP server {Endpoint}")]
    private static partial void LogConnected(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Link to Modbus TCP server {Endpoint} restored")]
    private static partial void LogLinkRestored(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Link to Modbus TCP server {Endpoint} down: {Reason}")]
    private static partial void LogLinkDown(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "No response from {Endpoint} to {Transaction} (transaction {TransactionId}) within {TimeoutMs} ms")]
    private static partial void LogTimeout(ILogger logger, string endpoint, string transaction, ushort transactionId, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Discarded a frame from {Endpoint} for transaction {TransactionId} unit {UnitId}; waiting for transaction {ExpectedTransactionId} unit {ExpectedUnitId}")]
    private static partial void LogDiscarded(ILogger logger, string endpoint, ushort transactionId, byte unitId, ushort expectedTransactionId, byte expectedUnitId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Malformed MBAP header from {Endpoint} at offset {Offset}: {Reason}; dropping the connection. Bytes: {FrameHex}")]
    private static partial void LogMalformedFrame(ILogger logger, string endpoint, int offset, string reason, string frameHex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed response from {Endpoint}: {Reason}. PDU: {FrameHex}")]
    private static partial void LogMalformedPdu(ILogger logger, string endpoint, string reason, string frameHex);
}
