namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>A poll in steady state builds its request and takes its answer apart without touching the heap.</summary>
[Category("Unit")]
public sealed class AllocationTests
{
    [Test]
    public void An_rtu_poll_of_ten_registers_allocates_nothing_once_warm()
    {
        var request = new byte[ModbusRtuFramer.MaxAduLength];
        var answer = Hex.Bytes("01 03 14 00 01 00 02 00 03 00 04 00 05 00 06 00 07 00 08 00 09 00 0A 8F 16");
        var registers = new ushort[10];
        Poll(request, answer, registers);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            Poll(request, answer, registers);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(registers[9], Is.EqualTo(10));
    }

    private static void Poll(byte[] request, byte[] answer, ushort[] registers)
    {
        int pduLength = ModbusRequestPdu.EncodeReadRegisters(request.AsSpan(ModbusRtuFramer.PduOffset), ModbusFunctionCode.ReadHoldingRegisters, 0, registers.Length);
        ModbusRtuFramer.WriteAddressAndCrc(request, 1, pduLength);
        for (int received = 1; received < answer.Length; received += 7)
            ModbusRtuFramer.FrameResponse(answer.AsSpan(0, received), 1, ModbusFunctionCode.ReadHoldingRegisters);
        var frame = ModbusRtuFramer.FrameResponse(answer, 1, ModbusFunctionCode.ReadHoldingRegisters);
        ModbusResponsePdu.DecodeReadRegisters(frame.Pdu(answer), ModbusFunctionCode.ReadHoldingRegisters, registers);
        var silence = ModbusSilentInterval.For(9600, SerialParity.None);
        _ = silence.T35 + silence.WireTime(answer.Length);
    }
}
