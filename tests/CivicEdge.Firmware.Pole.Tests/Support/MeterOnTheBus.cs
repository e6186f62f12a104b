using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Pole.Tests.Support;

/// <summary>
/// An SDM120-style energy meter on the pole's RS-485 bus, answering with the gateway's own Modbus codec: input
/// registers hold float32 values high word first at the meter's addresses. It can be unplugged. A read that finds the
/// line quiet takes its whole timeout on the simulated clock, as a UART read does.
/// </summary>
public sealed class MeterOnTheBus(byte unit, FakeTimeProvider time) : ISerialLink, IDelay
{
    private readonly ushort[] _inputs = new ushort[0x50];
    private readonly Queue<byte[]> _answers = new();

    public byte Unit => unit;

    public bool Unplugged { get; set; }

    public int Requests { get; private set; }

    public int BaudRate => 9600;

    public void Set(int address, float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        _inputs[address] = (ushort)(bits >> 16);
        _inputs[address + 1] = (ushort)bits;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        if (_answers.Count == 0)
        {
            time.Advance(TimeSpan.FromMilliseconds(Math.Max(1, timeoutMilliseconds)));
            return 0;
        }

        var answer = _answers.Dequeue();
        Array.Copy(answer, 0, buffer, offset, answer.Length);
        return answer.Length;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        Requests++;
        var frame = ModbusRtuFramer.FrameRequest(buffer.AsSpan(offset, count));
        if (Unplugged || frame.Status != ModbusDecodeStatus.Complete || frame.UnitId != Unit)
            return;
        var request = ModbusRequestPdu.Decode(frame.Pdu(buffer.AsSpan(offset, count)), new ushort[125]);
        var pdu = new byte[253];
        var length = ModbusResponsePdu.EncodeReadRegisters(pdu, request.Function, _inputs.AsSpan(request.Address, request.Quantity));
        var adu = new byte[256];
        var total = ModbusRtuFramer.Encode(adu, Unit, pdu.AsSpan(0, length));
        _answers.Enqueue(adu[..total]);
    }

    public void DiscardInput() => _answers.Clear();

    public void Sleep(int milliseconds) => time.Advance(TimeSpan.FromMilliseconds(milliseconds));
}
