namespace CivicEdge.Protocols.Modbus.Tests;

[Category("Unit")]
public sealed class ModbusCrc16Tests
{
    [Test]
    public void Compute_matches_the_read_holding_registers_frame_of_the_serial_line_guide()
    {
        var frame = new byte[8];
        Hex.Bytes("01 03 00 00 00 0A").CopyTo(frame, 0);

        ModbusCrc16.Write(frame.AsSpan(6), ModbusCrc16.Compute(frame.AsSpan(0, 6)));

        Assert.That(Hex.Of(frame.AsSpan(6)), Is.EqualTo("C5CD"));
    }

    [Test]
    public void Compute_matches_the_catalogued_check_value_of_crc16_modbus()
    {
        // The check value of CRC-16/MODBUS over the ASCII digits "123456789".
        Assert.That(ModbusCrc16.Compute("123456789"u8), Is.EqualTo(0x4B37));
    }

    [Test]
    public void Compute_of_nothing_is_the_initial_value()
    {
        Assert.That(ModbusCrc16.Compute([]), Is.EqualTo(0xFFFF));
    }

    [Test]
    public void Matches_accepts_a_frame_with_its_crc_and_rejects_one_with_a_flipped_bit()
    {
        var frame = Hex.Bytes("01 03 00 00 00 0A C5 CD");
        var damaged = (byte[])frame.Clone();
        damaged[3] ^= 0x10;

        Assert.That(ModbusCrc16.Matches(frame), Is.True);
        Assert.That(ModbusCrc16.Matches(damaged), Is.False);
        Assert.That(ModbusCrc16.Matches([0x01]), Is.False);
    }
}
