using System;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>
/// A Modbus RTU slave (server) on a serial line, answering a gateway or any master from an application's
/// <see cref="IModbusDataModel"/>. Functions: 01, 02, 03, 04 reads; 05, 06, 15, 16 writes; 08 diagnostics (00 echo,
/// 0A clear counters, 0B–12 the serial-line counters); 17 report server id; 20 and 21 read and write file records
/// when <see cref="FileRecords"/> serves them (Modbus Application Protocol V1.1b3, §6).
/// A frame ends after t3.5 of silence (MODBUS over Serial Line V1.02, §2.5.1.1); a frame with a bad CRC is counted
/// and dropped without an answer (§2.4.1); writes to the broadcast address 0 are carried out and not answered.
/// All buffers are allocated once: serving a request allocates nothing.
/// </summary>
public sealed class ModbusRtuSlave
{
    /// <summary>The longest RTU frame: address, 253-byte PDU, CRC (§2.5.1.1).</summary>
    public const int MaxFrameLength = 256;

    private const int BroadcastAddress = 0;
    private const int MaxReadBits = 2000;
    private const int MaxReadRegisters = 125;
    private const int MaxWriteCoils = 1968;
    private const int MaxWriteRegisters = 123;
    private const int FileReferenceType = 6;
    private const int MaxRecordNumber = 0x270F;

    private readonly ISerialLink _link;
    private readonly IModbusDataModel _model;
    private readonly byte[] _request = new byte[MaxFrameLength];
    private readonly byte[] _response = new byte[MaxFrameLength];
    private readonly byte[] _drain = new byte[64];
    private readonly bool[] _bits = new bool[MaxReadBits];
    private readonly ushort[] _registers = new ushort[MaxReadRegisters];
    private readonly int _silence;
    private byte _unitId;
    private byte[] _serverId = new byte[] { (byte)'C', (byte)'i', (byte)'v', (byte)'i', (byte)'c', (byte)'E', (byte)'d', (byte)'g', (byte)'e' };

    /// <param name="link">The serial line; its baud rate sets t3.5.</param>
    /// <param name="model">What the device serves.</param>
    /// <param name="unitId">The slave's address on the line, 1..247 (§2.2).</param>
    public ModbusRtuSlave(ISerialLink link, IModbusDataModel model, byte unitId)
    {
        if (link == null)
        {
            throw new ArgumentNullException(nameof(link));
        }

        if (model == null)
        {
            throw new ArgumentNullException(nameof(model));
        }

        _link = link;
        _model = model;
        _silence = ModbusSerialTiming.FrameSilenceMilliseconds(link.BaudRate);
        UnitId = unitId;
        RunIndicator = true;
    }

    /// <summary>The slave's address, 1..247; a commissioning tool or the fleet may change it at run time.</summary>
    public byte UnitId
    {
        get => _unitId;
        set
        {
            if (value < 1 || value > 247)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "A Modbus slave address must be 1..247 (MODBUS over Serial Line V1.02, §2.2); found " + value + ".");
            }

            _unitId = value;
        }
    }

    /// <summary>What functions 20 and 21 read and write; null answers them with exception 01, illegal function.</summary>
    public IModbusFileRecords FileRecords { get; set; }

    /// <summary>Whether function 17 reports the device as running (0xFF) or not (0x00, e.g. in safe mode).</summary>
    public bool RunIndicator { get; set; }

    /// <summary>Frames seen on the line, for any address, valid or not (function 08, sub-function 0B).</summary>
    public long BusMessages { get; private set; }

    /// <summary>Frames with a bad CRC or too short to hold one (function 08, sub-function 0C).</summary>
    public long BusCommunicationErrors { get; private set; }

    /// <summary>Exception responses sent (function 08, sub-function 0D).</summary>
    public long BusExceptionErrors { get; private set; }

    /// <summary>Valid frames addressed to this slave or broadcast (function 08, sub-function 0E).</summary>
    public long SlaveMessages { get; private set; }

    /// <summary>Valid frames addressed to this slave or broadcast that got no answer (function 08, sub-function 0F).</summary>
    public long SlaveNoResponses { get; private set; }

    /// <summary>Requests refused with exception 06, busy (function 08, sub-function 11).</summary>
    public long SlaveBusy { get; private set; }

    /// <summary>Frames longer than 256 bytes, dropped (function 08, sub-function 12).</summary>
    public long CharacterOverruns { get; private set; }

    /// <summary>Sets what function 17 reports as the server id (at most 250 bytes), e.g. a model code and firmware version.</summary>
    public void SetServerId(byte[] serverId)
    {
        if (serverId == null || serverId.Length == 0 || serverId.Length > 250)
        {
            throw new ArgumentException("A server id holds 1..250 bytes; found " + (serverId == null ? "none" : serverId.Length.ToString()) + ".");
        }

        _serverId = new byte[serverId.Length];
        Array.Copy(serverId, _serverId, serverId.Length);
    }

    /// <summary>
    /// Waits up to <paramref name="waitMilliseconds"/> for a frame to start, receives it until t3.5 of silence and
    /// answers it. Returns whether a frame arrived. Call it in a loop on the line's own thread, or from the main loop
    /// with a short wait.
    /// </summary>
    public bool Poll(int waitMilliseconds)
    {
        int length = _link.Read(_request, 0, MaxFrameLength, waitMilliseconds);
        if (length <= 0)
        {
            return false;
        }

        while (true)
        {
            if (length == MaxFrameLength)
            {
                // A frame that fills the buffer and goes on is no Modbus frame: drop it up to the next silence.
                if (_link.Read(_drain, 0, _drain.Length, _silence) > 0)
                {
                    while (_link.Read(_drain, 0, _drain.Length, _silence) > 0)
                    {
                    }

                    BusMessages++;
                    CharacterOverruns++;
                    return true;
                }

                break;
            }

            int more = _link.Read(_request, length, MaxFrameLength - length, _silence);
            if (more <= 0)
            {
                break;
            }

            length += more;
        }

        Handle(length);
        return true;
    }

    private void Handle(int length)
    {
        BusMessages++;
        if (length < 4 || !ModbusCrc16.IsValid(_request, length))
        {
            BusCommunicationErrors++;
            return;
        }

        int address = _request[0];
        if (address != _unitId && address != BroadcastAddress)
        {
            return;
        }

        SlaveMessages++;
        int pduLength = length - 3;
        int responseLength = Serve(pduLength);
        if (address == BroadcastAddress)
        {
            SlaveNoResponses++;
            return;
        }

        _response[0] = _unitId;
        _link.Write(_response, 0, ModbusCrc16.Append(_response, responseLength));
    }

    /// <summary>Carries out the request PDU at <c>_request[1..]</c>; the answer goes to <c>_response[1..]</c>. Returns the answer's length with the address.</summary>
    private int Serve(int pduLength)
    {
        int function = _request[1];
        bool broadcast = _request[0] == BroadcastAddress;
        if (broadcast && function != 5 && function != 6 && function != 15 && function != 16)
        {
            // §2.2: a broadcast request is a write; a read or a diagnostic sent to everyone is not acted upon.
            return 0;
        }

        ModbusExceptionCode code;
        int length;
        try
        {
            code = Dispatch(function, pduLength, out length);
        }
        catch (Exception)
        {
            // A data model that throws is a device fault, not a reason to stop answering the line (§7, code 04).
            code = ModbusExceptionCode.ServerDeviceFailure;
            length = 0;
        }

        if (code == ModbusExceptionCode.None)
        {
            return length;
        }

        BusExceptionErrors++;
        if (code == ModbusExceptionCode.ServerDeviceBusy)
        {
            SlaveBusy++;
        }

        // §7: the exception response echoes the function code with its high bit set, followed by the exception code.
        _response[1] = (byte)(function | 0x80);
        _response[2] = (byte)code;
        return 3;
    }

    private ModbusExceptionCode Dispatch(int function, int pduLength, out int length)
    {
        ModbusExceptionCode code;
        switch (function)
        {
            case 1:
            case 2:
                code = ReadBits(function == 1, pduLength, out length);
                break;
            case 3:
            case 4:
                code = ReadRegisters(function == 3, pduLength, out length);
                break;
            case 5:
                code = WriteSingleCoil(pduLength, out length);
                break;
            case 6:
                code = WriteSingleRegister(pduLength, out length);
                break;
            case 8:
                code = Diagnostics(pduLength, out length);
                break;
            case 15:
                code = WriteMultipleCoils(pduLength, out length);
                break;
            case 16:
                code = WriteMultipleRegisters(pduLength, out length);
                break;
            case 17:
                code = ReportServerId(pduLength, out length);
                break;
            case 20:
                code = ReadFileRecord(pduLength, out length);
                break;
            case 21:
                code = WriteFileRecord(pduLength, out length);
                break;
            default:
                code = ModbusExceptionCode.IllegalFunction;
                length = 0;
                break;
        }

        return code;
    }

    // 01/02 request: fc, start (2), quantity (2). Response: fc, byte count, bits packed LSB first (§6.1, §6.2).
    private ModbusExceptionCode ReadBits(bool coils, int pduLength, out int length)
    {
        length = 0;
        int start = Word(2);
        int quantity = Word(4);
        if (pduLength != 5 || quantity < 1 || quantity > MaxReadBits)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (start + quantity > 65536)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        ModbusExceptionCode code = _model.ReadBits(coils, start, quantity, _bits);
        if (code != ModbusExceptionCode.None)
        {
            return code;
        }

        int bytes = (quantity + 7) / 8;
        _response[1] = _request[1];
        _response[2] = (byte)bytes;
        for (int i = 0; i < bytes; i++)
        {
            _response[3 + i] = 0;
        }

        for (int i = 0; i < quantity; i++)
        {
            if (_bits[i])
            {
                _response[3 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }

        length = 3 + bytes;
        return ModbusExceptionCode.None;
    }

    // 03/04 request: fc, start (2), quantity (2). Response: fc, byte count, registers high byte first (§6.3, §6.4).
    private ModbusExceptionCode ReadRegisters(bool holding, int pduLength, out int length)
    {
        length = 0;
        int start = Word(2);
        int quantity = Word(4);
        if (pduLength != 5 || quantity < 1 || quantity > MaxReadRegisters)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (start + quantity > 65536)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        ModbusExceptionCode code = _model.ReadRegisters(holding, start, quantity, _registers);
        if (code != ModbusExceptionCode.None)
        {
            return code;
        }

        _response[1] = _request[1];
        _response[2] = (byte)(quantity * 2);
        for (int i = 0; i < quantity; i++)
        {
            _response[3 + (2 * i)] = (byte)(_registers[i] >> 8);
            _response[4 + (2 * i)] = (byte)_registers[i];
        }

        length = 3 + (quantity * 2);
        return ModbusExceptionCode.None;
    }

    // 05 request: fc, address (2), value 0xFF00 (on) or 0x0000 (off). The response echoes the request (§6.5).
    private ModbusExceptionCode WriteSingleCoil(int pduLength, out int length)
    {
        length = 0;
        int value = Word(4);
        if (pduLength != 5 || (value != 0xFF00 && value != 0x0000))
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        ModbusExceptionCode code = _model.WriteCoil(Word(2), value == 0xFF00);
        return code == ModbusExceptionCode.None ? Echo(6, out length) : code;
    }

    // 06 request: fc, address (2), value (2). The response echoes the request (§6.6).
    private ModbusExceptionCode WriteSingleRegister(int pduLength, out int length)
    {
        length = 0;
        if (pduLength != 5)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        ModbusExceptionCode code = _model.WriteRegister(Word(2), (ushort)Word(4));
        return code == ModbusExceptionCode.None ? Echo(6, out length) : code;
    }

    // 15 request: fc, start (2), quantity (2), byte count, coils packed LSB first. Response: fc, start, quantity (§6.11).
    private ModbusExceptionCode WriteMultipleCoils(int pduLength, out int length)
    {
        length = 0;
        int start = Word(2);
        int quantity = Word(4);
        int bytes = pduLength >= 6 ? _request[6] : -1;
        if (quantity < 1 || quantity > MaxWriteCoils || bytes != (quantity + 7) / 8 || pduLength != 6 + bytes)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (start + quantity > 65536)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        // The whole range must exist before anything is written, so that a refused request changes nothing.
        ModbusExceptionCode code = _model.ReadBits(true, start, quantity, _bits);
        for (int i = 0; i < quantity && code == ModbusExceptionCode.None; i++)
        {
            code = _model.WriteCoil(start + i, (_request[7 + (i / 8)] & (1 << (i % 8))) != 0);
        }

        return code == ModbusExceptionCode.None ? Echo(6, out length) : code;
    }

    // 16 request: fc, start (2), quantity (2), byte count, registers high byte first. Response: fc, start, quantity (§6.12).
    private ModbusExceptionCode WriteMultipleRegisters(int pduLength, out int length)
    {
        length = 0;
        int start = Word(2);
        int quantity = Word(4);
        int bytes = pduLength >= 6 ? _request[6] : -1;
        if (quantity < 1 || quantity > MaxWriteRegisters || bytes != quantity * 2 || pduLength != 6 + bytes)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (start + quantity > 65536)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        ModbusExceptionCode code = _model.ReadRegisters(true, start, quantity, _registers);
        for (int i = 0; i < quantity && code == ModbusExceptionCode.None; i++)
        {
            code = _model.WriteRegister(start + i, (ushort)Word(7 + (2 * i)));
        }

        return code == ModbusExceptionCode.None ? Echo(6, out length) : code;
    }

    // 08 request: fc, sub-function (2), data. 00 echoes the request; 0A clears the counters and echoes; 0B..12 answer
    // with the sub-function and a 16-bit counter (§6.8.1).
    private ModbusExceptionCode Diagnostics(int pduLength, out int length)
    {
        length = 0;
        if (pduLength < 3)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        int subFunction = Word(2);
        if (subFunction == 0x00)
        {
            return Echo(pduLength + 1, out length);
        }

        if (pduLength != 5 || Word(4) != 0)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        long value;
        switch (subFunction)
        {
            case 0x0A:
                BusMessages = 0;
                BusCommunicationErrors = 0;
                BusExceptionErrors = 0;
                SlaveMessages = 0;
                SlaveNoResponses = 0;
                SlaveBusy = 0;
                CharacterOverruns = 0;
                return Echo(6, out length);
            case 0x0B: value = BusMessages; break;
            case 0x0C: value = BusCommunicationErrors; break;
            case 0x0D: value = BusExceptionErrors; break;
            case 0x0E: value = SlaveMessages; break;
            case 0x0F: value = SlaveNoResponses; break;
            case 0x10: value = 0; break;
            case 0x11: value = SlaveBusy; break;
            case 0x12: value = CharacterOverruns; break;
            default: return ModbusExceptionCode.IllegalFunction;
        }

        _response[1] = 8;
        _response[2] = _request[2];
        _response[3] = _request[3];
        _response[4] = (byte)(value >> 8);
        _response[5] = (byte)value;
        length = 6;
        return ModbusExceptionCode.None;
    }

    // 17 request: fc only. Response: fc, byte count, server id, run indicator 0xFF/0x00 (§6.13).
    private ModbusExceptionCode ReportServerId(int pduLength, out int length)
    {
        length = 0;
        if (pduLength != 1)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        _response[1] = 17;
        _response[2] = (byte)(_serverId.Length + 1);
        Array.Copy(_serverId, 0, _response, 3, _serverId.Length);
        _response[3 + _serverId.Length] = RunIndicator ? (byte)0xFF : (byte)0x00;
        length = 4 + _serverId.Length;
        return ModbusExceptionCode.None;
    }

    // 20 request: fc, byte count (0x07..0xF5), then sub-requests of 7 bytes: reference type 6, file number (2), record
    // number (2), record length in registers (2). Response: fc, data length, then per sub-request: its length
    // (1 + 2 x records), reference type 6, the records (§6.14). Everything is checked before anything is read.
    private ModbusExceptionCode ReadFileRecord(int pduLength, out int length)
    {
        length = 0;
        int bytes = pduLength >= 2 ? _request[2] : -1;
        if (bytes < 0x07 || bytes > 0xF5 || bytes % 7 != 0 || pduLength != 2 + bytes)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (FileRecords == null)
        {
            return ModbusExceptionCode.IllegalFunction;
        }

        int responseLength = 2;
        for (int at = 3; at < 3 + bytes; at += 7)
        {
            int records = Word(at + 5);
            if (!IsFileReference(at, records))
            {
                return ModbusExceptionCode.IllegalDataAddress;
            }

            responseLength += 2 + (2 * records);
        }

        if (responseLength > MaxFrameLength - 4)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        int write = 3;
        for (int at = 3; at < 3 + bytes; at += 7)
        {
            int records = Word(at + 5);
            _response[write] = (byte)(1 + (2 * records));
            _response[write + 1] = FileReferenceType;
            ModbusExceptionCode code = FileRecords.ReadRecords(Word(at + 1), Word(at + 3), records, _response, write + 2);
            if (code != ModbusExceptionCode.None)
            {
                return code;
            }

            write += 2 + (2 * records);
        }

        _response[1] = 20;
        _response[2] = (byte)(write - 3);
        length = write;
        return ModbusExceptionCode.None;
    }

    // 21 request: fc, data length (0x09..0xFB), then sub-requests: reference type 6, file number (2), record number (2),
    // record length in registers (2), the records. The response echoes the request (§6.15).
    private ModbusExceptionCode WriteFileRecord(int pduLength, out int length)
    {
        length = 0;
        int bytes = pduLength >= 2 ? _request[2] : -1;
        if (bytes < 0x09 || bytes > 0xFB || pduLength != 2 + bytes)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (FileRecords == null)
        {
            return ModbusExceptionCode.IllegalFunction;
        }

        int end = 3 + bytes;
        int at = 3;
        while (at < end)
        {
            if (end - at < 9)
            {
                return ModbusExceptionCode.IllegalDataValue;
            }

            int records = Word(at + 5);
            if (at + 7 + (2 * records) > end)
            {
                return ModbusExceptionCode.IllegalDataValue;
            }

            if (!IsFileReference(at, records))
            {
                return ModbusExceptionCode.IllegalDataAddress;
            }

            at += 7 + (2 * records);
        }

        for (at = 3; at < end; at += 7 + (2 * Word(at + 5)))
        {
            ModbusExceptionCode code = FileRecords.WriteRecords(Word(at + 1), Word(at + 3), Word(at + 5), _request, at + 7);
            if (code != ModbusExceptionCode.None)
            {
                return code;
            }
        }

        return Echo(end, out length);
    }

    /// <summary>A sub-request's reference type is 6, its file 1..65535, and its records lie within 0..9999 (§6.14).</summary>
    private bool IsFileReference(int at, int records) =>
        _request[at] == FileReferenceType && Word(at + 1) >= 1 && records >= 1 && Word(at + 3) + records - 1 <= MaxRecordNumber;

    /// <summary>Copies the request's first <paramref name="count"/> bytes (address included) as the answer.</summary>
    private ModbusExceptionCode Echo(int count, out int length)
    {
        Array.Copy(_request, 1, _response, 1, count - 1);
        length = count;
        return ModbusExceptionCode.None;
    }

    private int Word(int offset) => (_request[offset] << 8) | _request[offset + 1];
}
