using System;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>
/// A Modbus RTU master on a device's own serial line, e.g. a pole controller reading its energy meter and its RS-485
/// environment sensors (MODBUS over Serial Line V1.02; functions 01–06, 15 and 16 of the Modbus Application Protocol
/// V1.1b3). One transaction at a time, on the calling thread: the request is sent, the answer is read until it has
/// the length the request implies, until t3.5 of silence ends it early, or until the response timeout. A timeout, a
/// CRC error or an answer that does not fit is retried; an exception answer is not, since the slave has spoken.
/// Broadcasts (unit 0) are writes only and are followed by the turnaround delay (§2.4.1). Buffers are allocated
/// once: a transaction allocates nothing, except the text of <see cref="LastFailure"/> when it fails.
/// </summary>
public sealed class ModbusRtuMaster
{
    private const int MaxFrameLength = 256;
    private const int MaxReadBits = 2000;
    private const int MaxReadRegisters = 125;
    private const int MaxWriteCoils = 1968;
    private const int MaxWriteRegisters = 123;

    private readonly ISerialLink _link;
    private readonly IClock _clock;
    private readonly IDelay _delay;
    private readonly int _responseTimeout;
    private readonly int _retries;
    private readonly int _silence;
    private readonly byte[] _request = new byte[MaxFrameLength];
    private readonly byte[] _response = new byte[MaxFrameLength];
    private int _requestLength;
    private long _quietUntil;

    /// <param name="link">The serial line; its baud rate sets t3.5.</param>
    /// <param name="clock">Uptime for the response timeout and the turnaround delay.</param>
    /// <param name="delay">Waits out the turnaround delay after a broadcast.</param>
    /// <param name="responseTimeoutMilliseconds">How long one attempt waits for the answer to begin and end, at least 1.</param>
    /// <param name="retries">Further attempts after a timeout, CRC error or unfitting answer; 0 tries once.</param>
    public ModbusRtuMaster(ISerialLink link, IClock clock, IDelay delay, int responseTimeoutMilliseconds, int retries)
    {
        if (link == null)
        {
            throw new ArgumentNullException(nameof(link));
        }

        if (clock == null)
        {
            throw new ArgumentNullException(nameof(clock));
        }

        if (delay == null)
        {
            throw new ArgumentNullException(nameof(delay));
        }

        if (responseTimeoutMilliseconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(responseTimeoutMilliseconds), "The response timeout must be at least 1 ms; found " + responseTimeoutMilliseconds + ".");
        }

        if (retries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(retries), "Retries must be 0 or more; found " + retries + ".");
        }

        _link = link;
        _clock = clock;
        _delay = delay;
        _responseTimeout = responseTimeoutMilliseconds;
        _retries = retries;
        _silence = ModbusSerialTiming.FrameSilenceMilliseconds(link.BaudRate);
        TurnaroundDelayMilliseconds = 100;
    }

    /// <summary>
    /// Silence kept after a broadcast before the next request, so that every slave has acted on it (§2.4.1: typically
    /// 100 to 200 ms).
    /// </summary>
    public int TurnaroundDelayMilliseconds { get; set; }

    /// <summary>The exception code of the last <see cref="ModbusMasterStatus.Exception"/> answer.</summary>
    public ModbusExceptionCode LastException { get; private set; }

    /// <summary>What went wrong with the last failed transaction (expected, found, from which unit), or null.</summary>
    public string LastFailure { get; private set; }

    /// <summary>Requests sent, retries and broadcasts included.</summary>
    public long Requests { get; private set; }

    /// <summary>Valid answers received, exception answers included.</summary>
    public long Responses { get; private set; }

    /// <summary>Attempts that got no answer in time.</summary>
    public long Timeouts { get; private set; }

    /// <summary>Answers that failed their CRC.</summary>
    public long CrcErrors { get; private set; }

    /// <summary>Exception answers.</summary>
    public long Exceptions { get; private set; }

    /// <summary>Answers with a valid CRC that did not answer the request.</summary>
    public long Malformed { get; private set; }

    /// <summary>Attempts beyond the first of a transaction.</summary>
    public long Retries { get; private set; }

    /// <summary>Reads <paramref name="count"/> coils (function 01) into <paramref name="into"/>[0..count).</summary>
    public ModbusMasterStatus ReadCoils(byte unit, int address, int count, bool[] into) => ReadBits(1, unit, address, count, into);

    /// <summary>Reads <paramref name="count"/> discrete inputs (function 02) into <paramref name="into"/>[0..count).</summary>
    public ModbusMasterStatus ReadDiscreteInputs(byte unit, int address, int count, bool[] into) => ReadBits(2, unit, address, count, into);

    /// <summary>Reads <paramref name="count"/> holding registers (function 03) into <paramref name="into"/>[0..count).</summary>
    public ModbusMasterStatus ReadHoldingRegisters(byte unit, int address, int count, ushort[] into) => ReadRegisters(3, unit, address, count, into);

    /// <summary>Reads <paramref name="count"/> input registers (function 04) into <paramref name="into"/>[0..count).</summary>
    public ModbusMasterStatus ReadInputRegisters(byte unit, int address, int count, ushort[] into) => ReadRegisters(4, unit, address, count, into);

    /// <summary>Writes one coil (function 05).</summary>
    public ModbusMasterStatus WriteSingleCoil(byte unit, int address, bool value)
    {
        CheckUnit(unit, true);
        CheckRange(address, 1, 1);
        Begin(unit, 5, address, value ? 0xFF00 : 0x0000);
        return Transact(8);
    }

    /// <summary>Writes one holding register (function 06).</summary>
    public ModbusMasterStatus WriteSingleRegister(byte unit, int address, ushort value)
    {
        CheckUnit(unit, true);
        CheckRange(address, 1, 1);
        Begin(unit, 6, address, value);
        return Transact(8);
    }

    /// <summary>Writes <paramref name="count"/> coils from <paramref name="values"/> (function 15).</summary>
    public ModbusMasterStatus WriteMultipleCoils(byte unit, int address, bool[] values, int count)
    {
        CheckUnit(unit, true);
        CheckRange(address, count, MaxWriteCoils);
        CheckValues(values == null ? -1 : values.Length, count);
        Begin(unit, 15, address, count);
        int bytes = (count + 7) / 8;
        _request[6] = (byte)bytes;
        for (int i = 0; i < bytes; i++)
        {
            _request[7 + i] = 0;
        }

        for (int i = 0; i < count; i++)
        {
            if (values[i])
            {
                _request[7 + (i / 8)] |= (byte)(1 << (i % 8));
            }
        }

        _requestLength = 7 + bytes;
        return Transact(8);
    }

    /// <summary>Writes <paramref name="count"/> holding registers from <paramref name="values"/> (function 16).</summary>
    public ModbusMasterStatus WriteMultipleRegisters(byte unit, int address, ushort[] values, int count)
    {
        CheckUnit(unit, true);
        CheckRange(address, count, MaxWriteRegisters);
        CheckValues(values == null ? -1 : values.Length, count);
        Begin(unit, 16, address, count);
        _request[6] = (byte)(count * 2);
        for (int i = 0; i < count; i++)
        {
            _request[7 + (2 * i)] = (byte)(values[i] >> 8);
            _request[8 + (2 * i)] = (byte)values[i];
        }

        _requestLength = 7 + (count * 2);
        return Transact(8);
    }

    private ModbusMasterStatus ReadBits(int function, byte unit, int address, int count, bool[] into)
    {
        CheckUnit(unit, false);
        CheckRange(address, count, MaxReadBits);
        CheckValues(into == null ? -1 : into.Length, count);
        Begin(unit, function, address, count);
        int bytes = (count + 7) / 8;
        ModbusMasterStatus status = Transact(5 + bytes);
        if (status != ModbusMasterStatus.Ok)
        {
            return status;
        }

        for (int i = 0; i < count; i++)
        {
            into[i] = (_response[3 + (i / 8)] & (1 << (i % 8))) != 0;
        }

        return status;
    }

    private ModbusMasterStatus ReadRegisters(int function, byte unit, int address, int count, ushort[] into)
    {
        CheckUnit(unit, false);
        CheckRange(address, count, MaxReadRegisters);
        CheckValues(into == null ? -1 : into.Length, count);
        Begin(unit, function, address, count);
        ModbusMasterStatus status = Transact(5 + (2 * count));
        if (status != ModbusMasterStatus.Ok)
        {
            return status;
        }

        for (int i = 0; i < count; i++)
        {
            into[i] = (ushort)((_response[3 + (2 * i)] << 8) | _response[4 + (2 * i)]);
        }

        return status;
    }

    /// <summary>Address, function, then two big-endian words: every request starts this way (§6).</summary>
    private void Begin(byte unit, int function, int first, int second)
    {
        _request[0] = unit;
        _request[1] = (byte)function;
        _request[2] = (byte)(first >> 8);
        _request[3] = (byte)first;
        _request[4] = (byte)(second >> 8);
        _request[5] = (byte)second;
        _requestLength = 6;
    }

    private ModbusMasterStatus Transact(int expectedLength)
    {
        int length = ModbusCrc16.Append(_request, _requestLength);
        ModbusMasterStatus status = ModbusMasterStatus.Timeout;
        for (int attempt = 0; attempt <= _retries; attempt++)
        {
            if (attempt > 0)
            {
                Retries++;
            }

            status = Attempt(length, expectedLength);
            if (status == ModbusMasterStatus.Ok || status == ModbusMasterStatus.Exception)
            {
                LastFailure = status == ModbusMasterStatus.Ok ? null : LastFailure;
                return status;
            }
        }

        return status;
    }

    private ModbusMasterStatus Attempt(int requestLength, int expectedLength)
    {
        long wait = _quietUntil - _clock.UptimeMilliseconds;
        if (wait > 0)
        {
            _delay.Sleep((int)wait);
        }

        _link.DiscardInput();
        _link.Write(_request, 0, requestLength);
        Requests++;
        if (_request[0] == 0)
        {
            _quietUntil = _clock.UptimeMilliseconds + TurnaroundDelayMilliseconds;
            return ModbusMasterStatus.Ok;
        }

        int received = Receive(expectedLength);
        if (received == 0)
        {
            Timeouts++;
            LastFailure = "No answer from unit " + _request[0] + " to function " + _request[1] + " within " + _responseTimeout + " ms.";
            return ModbusMasterStatus.Timeout;
        }

        if (received < 4 || !ModbusCrc16.IsValid(_response, received))
        {
            CrcErrors++;
            LastFailure = "The answer from unit " + _request[0] + " failed its CRC: " + received + " bytes, " + expectedLength + " expected.";
            return ModbusMasterStatus.CrcError;
        }

        if (_response[0] != _request[0] || (_response[1] & 0x7F) != _request[1])
        {
            return Unfitting("expected unit " + _request[0] + " function " + _request[1] + ", found unit " + _response[0] + " function " + _response[1]);
        }

        if ((_response[1] & 0x80) != 0)
        {
            if (received != 5)
            {
                return Unfitting("expected a 5-byte exception answer, found " + received + " bytes");
            }

            Responses++;
            Exceptions++;
            LastException = (ModbusExceptionCode)_response[2];
            LastFailure = "Unit " + _request[0] + " answered function " + _request[1] + " with exception " + _response[2] + ".";
            return ModbusMasterStatus.Exception;
        }

        if (received != expectedLength)
        {
            return Unfitting("expected " + expectedLength + " bytes, found " + received);
        }

        if (_request[1] <= 4)
        {
            if (_response[2] != expectedLength - 5)
            {
                return Unfitting("expected a byte count of " + (expectedLength - 5) + ", found " + _response[2]);
            }
        }
        else
        {
            // 05 and 06 echo the request; 15 and 16 echo its address and quantity (§6.5, §6.6, §6.11, §6.12).
            for (int i = 2; i < 6; i++)
            {
                if (_response[i] != _request[i])
                {
                    return Unfitting("expected the answer to echo the request's byte " + i + " (0x" + _request[i].ToString("X2") + "), found 0x" + _response[i].ToString("X2"));
                }
            }
        }

        Responses++;
        return ModbusMasterStatus.Ok;
    }

    /// <summary>
    /// Reads the answer: waits up to the response timeout for it to start, then takes bytes until it has the length
    /// the request implies (5 once its function code shows an exception), until t3.5 of silence ends it, or until the
    /// response timeout. Returns how many bytes arrived.
    /// </summary>
    private int Receive(int expectedLength)
    {
        long deadline = _clock.UptimeMilliseconds + _responseTimeout;
        int received = 0;
        int wanted = expectedLength;
        while (received < wanted)
        {
            long left = deadline - _clock.UptimeMilliseconds;
            if (left <= 0)
            {
                break;
            }

            int timeout = received == 0 || left < _silence ? (int)left : _silence;
            int read = _link.Read(_response, received, MaxFrameLength - received, timeout);
            if (read <= 0)
            {
                if (received > 0)
                {
                    break;
                }

                continue;
            }

            received += read;
            if (received >= 2 && (_response[1] & 0x80) != 0)
            {
                wanted = 5;
            }
        }

        return received;
    }

    private ModbusMasterStatus Unfitting(string problem)
    {
        Malformed++;
        LastFailure = "The answer from unit " + _request[0] + " does not fit the request: " + problem + ".";
        return ModbusMasterStatus.Malformed;
    }

    private static void CheckUnit(byte unit, bool write)
    {
        if (unit > 247)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), "A Modbus unit address is 0 (broadcast) or 1..247; found " + unit + ".");
        }

        if (unit == 0 && !write)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), "Only writes may be broadcast to unit 0: no slave answers a broadcast (§2.2).");
        }
    }

    private static void CheckRange(int address, int count, int maxCount)
    {
        if (count < 1 || count > maxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "Expected a quantity of 1.." + maxCount + ", found " + count + ".");
        }

        if (address < 0 || address + count > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(address), "Expected addresses within 0..65535, found " + address + " plus " + count + ".");
        }
    }

    private static void CheckValues(int length, int count)
    {
        if (length < count)
        {
            throw new ArgumentException("Expected an array of at least " + count + " values, found " + (length < 0 ? "none" : length.ToString()) + ".");
        }
    }
}
