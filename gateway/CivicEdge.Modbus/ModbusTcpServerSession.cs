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
    private readonly ILogger _logger;
    private readonly byte[] _received = new byte[ReceiveBufferSize];
    private readonly byte[] _response = new byte[MbapHeader.MaxAduLength];

    // Holds the values of a write request and the registers of a read answer in turn.
    private readonly ushort[] _registers = new ushort[ModbusPdu.MaxReadRegisters];
    private int _receivedCount;

    public ModbusTcpServerSession(TcpConnection connection, Func<byte, RegisterBank?> units, ILogger logger)
    {
        _connection = connection;
        _units = units;
        _logger = logger;
        Client = connection.RemoteEndPoint?.ToString() ?? "unknown client";
    }

    private enum Step
    {
        NeedMoreData,
        Answered,
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
                while ((step = AnswerNext(out int responseLength)) == Step.Answered)
                    await _connection.SendAsync(_response.AsMemory(0, responseLength), stopping).ConfigureAwait(false);
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

    private Step AnswerNext(out int responseLength)
    {
        responseLength = 0;
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
        int pduLength = AnswerPdu(header.UnitId, frame.Pdu(buffered), _response.AsSpan(MbapHeader.Size));
        responseLength = ModbusTcpFramer.WriteHeader(_response, header.TransactionId, header.UnitId, pduLength);
        _received.AsSpan(frame.Length, _receivedCount - frame.Length).CopyTo(_received);
        _receivedCount -= frame.Length;
        return Step.Answered;
    }

    private int AnswerPdu(byte unitId, ReadOnlySpan<byte> pdu, Span<byte> response)
    {
        // A complete frame's length field is at least 2, so the PDU holds at least the function code.
        var function = (ModbusFunctionCode)pdu[0];
        try
        {
            var bank = _units(unitId);
            if (bank is null)
                return Refuse(response, function, ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, unitId, "no such unit");

            var request = ModbusRequestPdu.Decode(pdu, _registers);
            if (request.Status == ModbusDecodeStatus.NeedMoreData || request.Length != pdu.Length)
            {
                return Refuse(response, function, ModbusExceptionCode.IllegalDataValue, unitId,
                    $"expected a PDU of {request.Length} bytes for function {(byte)function}, found {pdu.Length}");
            }

            if (request.Rejection != ModbusExceptionCode.None)
                return Refuse(response, function, request.Rejection, unitId, $"offset {request.Offset}: {request.Reason}");
            return Execute(bank, request, response, unitId);
        }
        catch (Exception e)
        {
            // A bank or guard that throws is a server device failure (§7, exception 0x04), not a reason to drop the client.
            LogBankFailed(_logger, e, Client, unitId, (byte)function);
            return ModbusResponsePdu.EncodeException(response, function, ModbusExceptionCode.ServerDeviceFailure);
        }
    }

    private int Execute(RegisterBank bank, in ModbusRequest request, Span<byte> response, byte unitId)
    {
        ModbusExceptionCode verdict;
        switch (request.Function)
        {
            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
                var table = request.Function == ModbusFunctionCode.ReadHoldingRegisters ? RegisterTable.HoldingRegisters : RegisterTable.InputRegisters;
                verdict = bank.CheckRead(table, request.Address, request.Quantity);
                if (verdict != ModbusExceptionCode.None)
                    break;
                var registers = _registers.AsSpan(0, request.Quantity);
                bank.Read(table, request.Address, registers);
                return ModbusResponsePdu.EncodeReadRegisters(response, request.Function, registers);

            case ModbusFunctionCode.WriteSingleRegister:
                verdict = bank.WriteFromMaster(request.Address, _registers.AsSpan(0, 1));
                if (verdict != ModbusExceptionCode.None)
                    break;
                return ModbusResponsePdu.EncodeWriteSingleRegister(response, request.Address, _registers[0]);

            default:
                verdict = bank.WriteFromMaster(request.Address, _registers.AsSpan(0, request.Quantity));
                if (verdict != ModbusExceptionCode.None)
                    break;
                return ModbusResponsePdu.EncodeWriteMultipleRegisters(response, request.Address, request.Quantity);
        }

        return Refuse(response, request.Function, verdict, unitId, $"address {request.Address} quantity {request.Quantity}");
    }

    private int Refuse(Span<byte> response, ModbusFunctionCode function, ModbusExceptionCode code, byte unitId, string reason)
    {
        LogRefused(_logger, Client, unitId, (byte)function, code, reason);
        return ModbusResponsePdu.EncodeException(response, function, code);
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

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Refused function {FunctionCode} for unit {UnitId} from {Client} with {ExceptionCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string client, byte unitId, byte functionCode, ModbusExceptionCode exceptionCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Register bank of unit {UnitId} failed on function {FunctionCode} from {Client}")]
    private static partial void LogBankFailed(ILogger logger, Exception exception, string client, byte unitId, byte functionCode);
}
