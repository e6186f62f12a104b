using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Modbus;

/// <summary>One client connection of a <see cref="ModbusTcpServer"/>: frames requests off the stream and answers them in order.</summary>
internal sealed partial class ModbusTcpServerSession
{
    // Several pipelined requests fit; after answering all complete ones at most one partial frame remains.
    private const int ReceiveBufferSize = 4 * MbapHeader.MaxAduLength;

    private readonly TcpConnection _connection;
    private readonly Func<byte, RegisterBank?> _units;
    private readonly FaultPlan _faults;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ModbusRequestExecutor _executor;
    private readonly byte[] _received = new byte[ReceiveBufferSize];
    private readonly byte[] _response = new byte[MbapHeader.MaxAduLength];
    private readonly byte[] _garbage = new byte[ModbusPdu.MaxLength];
    private int _receivedCount;

    public ModbusTcpServerSession(TcpConnection connection, Func<byte, RegisterBank?> units, FaultPlan faults, TimeProvider timeProvider, ILogger logger)
    {
        _connection = connection;
        _units = units;
        _faults = faults;
        _timeProvider = timeProvider;
        _logger = logger;
        Client = connection.RemoteEndPoint?.ToString() ?? "unknown client";
        _executor = new ModbusRequestExecutor(logger, Client);
    }

    private enum Step
    {
        NeedMoreData,
        Answered,
        Dropped,
        Malformed,
    }

    public string Client { get; }

    public void Close() => _connection.Dispose();

    public async Task RunAsync(CancellationToken stopping)
    {
        LogAccepted(_logger, Client);
        try
        {
            while (true)
            {
                int received = await _connection.ReceiveAsync(_received.AsMemory(_receivedCount), stopping).ConfigureAwait(false);
                if (received == 0)
                {
                    LogClosedByClient(_logger, Client);
                    return;
                }

                _receivedCount += received;

                // The Implementation Guide lets a client send further requests before the first is answered; answering
                // them one by one in arrival order keeps each response behind the one before.
                Step step;
                while ((step = AnswerNext(out int responseLength, out var fault)) is Step.Answered or Step.Dropped)
                {
                    if (step == Step.Answered)
                        await SendAsync(responseLength, fault, stopping).ConfigureAwait(false);
                }

                if (step == Step.Malformed)
                    return;
            }
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The server is stopping and closed the connection under the pending receive.
        }
        catch (IOException e)
        {
            LogConnectionLost(_logger, Client, e.Message);
        }
        finally
        {
            _connection.Dispose();
        }
    }

    private async ValueTask SendAsync(int responseLength, ModbusFaultRule? fault, CancellationToken stopping)
    {
        var answer = _response.AsMemory(0, responseLength);
        switch (fault?.Kind)
        {
            case ModbusFaultKind.LateAnswer:
                await Task.Delay(fault.Delay, _timeProvider, stopping).ConfigureAwait(false);
                break;
            case ModbusFaultKind.Garbage:
                var garbage = _garbage.AsMemory(0, fault.GarbageLength);
                _faults.FillGarbage(garbage.Span);
                await _connection.SendAsync(garbage, stopping).ConfigureAwait(false);
                break;
            case ModbusFaultKind.SecondAnswer:
                await _connection.SendAsync(answer, stopping).ConfigureAwait(false);
                break;
        }

        await _connection.SendAsync(answer, stopping).ConfigureAwait(false);
    }

    private Step AnswerNext(out int responseLength, out ModbusFaultRule? fault)
    {
        responseLength = 0;
        fault = null;
        ReadOnlySpan<byte> buffered = _received.AsSpan(0, _receivedCount);
        var frame = ModbusTcpFramer.Frame(buffered);
        if (frame.Status == ModbusDecodeStatus.NeedMoreData)
            return Step.NeedMoreData;
        if (frame.Status == ModbusDecodeStatus.Malformed)
        {
            // Without a trustworthy length the next frame cannot be found; the client has to reconnect.
            LogMalformedFrame(_logger, Client, frame.Offset, frame.Reason!, Convert.ToHexString(buffered[..Math.Min(buffered.Length, MbapHeader.MaxAduLength)]));
            return Step.Malformed;
        }

        var header = frame.Header;
        var step = Step.Answered;
        var response = _response.AsSpan(MbapHeader.Size);
        var pdu = frame.Pdu(buffered);
        var bank = _units(header.UnitId);
        byte answeringUnit = header.UnitId;
        int pduLength;
        if (bank is null)
        {
            // A complete frame's length field is at least 2, so the PDU holds at least the function code.
            pduLength = _executor.Refuse(response, (ModbusFunctionCode)pdu[0], ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, header.UnitId, "no such unit");
        }
        else
        {
            fault = _faults.Draw(header.UnitId);
            if (fault is not null)
                LogFault(_logger, Client, header.UnitId, header.TransactionId, fault);
            switch (fault?.Kind)
            {
                case ModbusFaultKind.NoAnswer:
                    step = Step.Dropped;
                    pduLength = 0;
                    break;
                case ModbusFaultKind.Exception:
                    pduLength = ModbusResponsePdu.EncodeException(response, (ModbusFunctionCode)pdu[0], fault.ExceptionCode);
                    break;
                default:
                    pduLength = _executor.Answer(bank, header.UnitId, pdu, response);
                    if (fault?.Kind == ModbusFaultKind.WrongUnit)
                        answeringUnit = (byte)(header.UnitId + 1);
                    break;
            }
        }

        if (step == Step.Answered)
            responseLength = ModbusTcpFramer.WriteHeader(_response, header.TransactionId, answeringUnit, pduLength);
        _received.AsSpan(frame.Length, _receivedCount - frame.Length).CopyTo(_received);
        _receivedCount -= frame.Length;
        return step;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus TCP client {Client} connected")]
    private static partial void LogAccepted(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus TCP client {Client} closed the connection")]
    private static partial void LogClosedByClient(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus TCP connection from {Client} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string client, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Malformed MBAP header from {Client} at offset {Offset}: {Reason}; closing the connection. Bytes: {FrameHex}")]
    private static partial void LogMalformedFrame(ILogger logger, string client, int offset, string reason, string frameHex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Injecting {Fault} into the answer to {Client} unit {UnitId} transaction {TransactionId}")]
    private static partial void LogFault(ILogger logger, string client, byte unitId, ushort transactionId, ModbusFaultRule fault);
}
