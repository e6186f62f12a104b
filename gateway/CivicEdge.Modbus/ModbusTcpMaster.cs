using System.Runtime.CompilerServices;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus TCP client. It connects on first use, keeps up to <see cref="ModbusTcpMasterOptions.MaxInFlight"/>
/// requests on the wire at once and pairs each answer with its request by transaction and unit identifier, in
/// whatever order the answers come (Implementation Guide V1.0b §3.1.3, §4.2.1). A broken connection fails the
/// requests on it and is opened anew on the next call. Field conditions are <see cref="ModbusResult"/> values.
/// Steady-state polling reuses buffers and pooled awaitables and allocates nothing per call.
/// </summary>
public sealed partial class ModbusTcpMaster : IModbusMaster
{
    private readonly IByteChannel _channel;
    private readonly TimeSpan _responseTimeout;
    private readonly int _retries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ModbusMasterStatistics _statistics = new();

    // Sends, and opening and closing the connection, one at a time; the reader loop receives on its own.
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly SemaphoreSlim _slots;
    private readonly ModbusTcpPendingRequest[] _pending;
    private readonly byte[] _request = new byte[MbapHeader.MaxAduLength];
    private readonly CancellationTokenSource _disposing = new();
    private ushort _lastTransactionId;
    private int _connection;
    private bool _everConnected;
    private bool _linkDown;
    private bool _disposed;

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
        _slots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _pending = new ModbusTcpPendingRequest[options.MaxInFlight];
        for (int i = 0; i < _pending.Length; i++)
            _pending[i] = new ModbusTcpPendingRequest(_timeProvider) { TimedOut = OnTimedOut };
    }

    /// <summary>The server this master talks to, as <c>host:port</c>.</summary>
    public string Endpoint => _channel.Name;

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

    /// <summary>Closes the connection; requests still waiting end as transport errors.</summary>
    public async ValueTask DisposeAsync()
    {
        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            await _disposing.CancelAsync().ConfigureAwait(false);
            _channel.Dispose();
        }
        finally
        {
            _sendGate.Release();
        }

        FailWaiting(_connection, ModbusOutcome.TransportError, $"{Endpoint}: the master was disposed", countTransportErrors: false);
        foreach (var pending in _pending)
            pending.Dispose();
    }

    public override string ToString() => $"Modbus TCP master {Endpoint}";

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ModbusResult> TransactAsync(ModbusTransaction transaction, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = RentPending();
            try
            {
                for (int attempt = 0; ; attempt++)
                {
                    var result = await AttemptAsync(pending, transaction, cancellationToken).ConfigureAwait(false);
                    if (result.Outcome is ModbusOutcome.Ok or ModbusOutcome.Exception || attempt >= _retries)
                        return result;
                }
            }
            finally
            {
                pending.Return();
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ModbusResult> AttemptAsync(ModbusTcpPendingRequest pending, ModbusTransaction transaction, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        int connection;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                // The reader loop notices a closed or broken connection and marks the channel down; probing the
                // socket here as well would race with the reader for the bytes that make it readable.
                if (!_channel.IsOpen && await _channel.OpenAsync(cancellationToken).ConfigureAwait(false))
                    OnConnected();
            }
            catch (IOException e)
            {
                return TransportFailed(e.Message);
            }

            connection = _connection;
            var transactionId = unchecked(++_lastTransactionId);
            int pduLength = transaction.EncodeRequest(_request.AsSpan(MbapHeader.Size));
            int aduLength = ModbusTcpFramer.WriteHeader(_request, transactionId, transaction.UnitId, pduLength);

            // Armed before sending: on loopback the answer can arrive before the send call returns.
            pending.Arm(transaction, transactionId, connection, _responseTimeout);
            try
            {
                await _channel.SendAsync(_request.AsMemory(0, aduLength), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                pending.TryClaim();
                CloseConnection(connection);
                return TransportFailed(e.Message);
            }
            catch (OperationCanceledException)
            {
                // A request cut off half-way would leave the server parsing garbage: start anew on a fresh stream.
                pending.TryClaim();
                CloseConnection(connection);
                throw;
            }

            _statistics.Requested();
            pending.StartTimer(cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }

        return await pending.Result.ConfigureAwait(false);
    }

    private ModbusTcpPendingRequest RentPending()
    {
        // The slot semaphore guarantees a free one; the loop only covers the race with a request just returning.
        while (true)
        {
            foreach (var pending in _pending)
            {
                if (pending.TryRent())
                    return pending;
            }

            Thread.Yield();
        }
    }

    /// <summary>
    /// Receives answers on one connection for as long as it lives and hands each to the request it answers. Ends on
    /// a broken or closed connection or a malformed header, failing the requests still waiting on that connection.
    /// </summary>
    private async Task ReadAnswersAsync(int connection)
    {
        // Room for an answer that arrived after its timeout followed by the answers being waited for.
        var received = new byte[2 * MbapHeader.MaxAduLength];
        int count = 0;
        var stop = _disposing.Token;
        string? failure = null;
        var outcome = ModbusOutcome.TransportError;
        try
        {
            // A connection dropped and replaced while this loop was busy belongs to a newer reader.
            while (failure is null && connection == Volatile.Read(ref _connection))
            {
                int read = await _channel.ReceiveAsync(received.AsMemory(count), stop).ConfigureAwait(false);
                if (read == 0)
                {
                    failure = "the server closed the connection";
                    break;
                }

                count += read;
                while (failure is null)
                {
                    var frame = ModbusTcpFramer.Frame(received.AsSpan(0, count));
                    if (frame.Status == ModbusDecodeStatus.NeedMoreData)
                        break;
                    if (frame.Status == ModbusDecodeStatus.Malformed)
                    {
                        // Without a trustworthy length there is no telling where the next frame starts:
                        // resynchronise by starting a new connection.
                        _statistics.MalformedFrame();
                        LogMalformedFrame(_logger, Endpoint, frame.Offset, frame.Reason!, Convert.ToHexString(received, 0, count));
                        outcome = ModbusOutcome.Malformed;
                        failure = $"MBAP header at offset {frame.Offset}: {frame.Reason}";
                        break;
                    }

                    Dispatch(connection, frame.Header, frame.Pdu(received.AsSpan(0, count)));
                    received.AsSpan(frame.Length, count - frame.Length).CopyTo(received);
                    count -= frame.Length;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            failure = e.Message;
        }

        failure ??= "the connection was replaced by a new one";
        await _sendGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            CloseConnection(connection);
        }
        finally
        {
            _sendGate.Release();
        }

        if (outcome == ModbusOutcome.Malformed)
            FailWaiting(connection, outcome, failure, countTransportErrors: false);
        else if (FailWaiting(connection, outcome, $"{Endpoint}: {failure}", countTransportErrors: true) > 0 && !_linkDown)
        {
            // Log the fall, not every failed poll while the link stays down.
            _linkDown = true;
            LogLinkDown(_logger, Endpoint, failure);
        }
    }

    private void Dispatch(int connection, MbapHeader header, ReadOnlySpan<byte> pdu)
    {
        foreach (var pending in _pending)
        {
            if (!pending.IsWaiting || pending.Connection != connection || pending.TransactionId != header.TransactionId)
                continue;
            if (pending.Transaction.UnitId != header.UnitId)
                break;
            if (!pending.TryClaim())
                break;

            // Claimed: no timeout or cancellation can complete it now, so the read lands in the caller's buffer safely.
            var result = _statistics.Judge(pending.Transaction.DecodeResponse(pdu), pdu.Length, out var problem);
            if (problem is not null)
                LogMalformedPdu(_logger, Endpoint, problem, Convert.ToHexString(pdu));
            pending.Complete(result);
            return;
        }

        _statistics.Discarded();
        LogDiscarded(_logger, Endpoint, header.TransactionId, header.UnitId);
    }

    private void OnTimedOut(ModbusTcpPendingRequest pending)
    {
        if (!pending.TryClaim())
            return;

        // The connection stays up: behind a TCP gateway one silent slave says nothing about the others, and an answer
        // that turns up late is recognised by its transaction identifier and discarded.
        _statistics.TimedOut();
        LogTimeout(_logger, Endpoint, pending.Transaction.ToString(), pending.TransactionId, _responseTimeout.TotalMilliseconds);
        pending.Complete(new ModbusResult(ModbusOutcome.Timeout,
            Detail: $"no response from {Endpoint} unit {pending.Transaction.UnitId} within {_responseTimeout.TotalMilliseconds:0} ms"));
    }

    private int FailWaiting(int connection, ModbusOutcome outcome, string detail, bool countTransportErrors)
    {
        int failed = 0;
        foreach (var pending in _pending)
        {
            if (pending.Connection != connection || !pending.TryClaim())
                continue;
            if (countTransportErrors)
                _statistics.TransportFailed();
            failed++;
            pending.Complete(new ModbusResult(outcome, Detail: detail));
        }

        return failed;
    }

    /// <summary>Drops the connection if it is still <paramref name="connection"/>; call holding the send gate.</summary>
    private void CloseConnection(int connection)
    {
        if (connection != _connection || _disposed)
            return;
        _channel.Close();
        _connection++;
    }

    /// <summary>A new connection: give it a number and a reader. Call holding the send gate.</summary>
    private void OnConnected()
    {
        _connection++;
        if (_everConnected)
            _statistics.Reconnected();
        _everConnected = true;
        if (_linkDown)
            LogLinkRestored(_logger, Endpoint);
        else
            LogConnected(_logger, Endpoint);
        _linkDown = false;
        _ = ReadAnswersAsync(_connection);
    }

    private ModbusResult TransportFailed(string reason)
    {
        _statistics.TransportFailed();
        if (!_linkDown)
            LogLinkDown(_logger, Endpoint, reason);
        _linkDown = true;
        return new ModbusResult(ModbusOutcome.TransportError, Detail: $"{Endpoint}: {reason}");
    }

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
        Message = "Discarded a frame from {Endpoint} for transaction {TransactionId} unit {UnitId}: no request waits for it")]
    private static partial void LogDiscarded(ILogger logger, string endpoint, ushort transactionId, byte unitId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Malformed MBAP header from {Endpoint} at offset {Offset}: {Reason}; dropping the connection. Bytes: {FrameHex}")]
    private static partial void LogMalformedFrame(ILogger logger, string endpoint, int offset, string reason, string frameHex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed response from {Endpoint}: {Reason}. PDU: {FrameHex}")]
    private static partial void LogMalformedPdu(ILogger logger, string endpoint, string reason, string frameHex);
}
