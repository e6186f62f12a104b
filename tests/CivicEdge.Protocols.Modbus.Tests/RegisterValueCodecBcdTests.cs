namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>BCD values, bit fields and strings as meters and controllers store them in registers.</summary>
[Category("Unit")]
public sealed class RegisterValueCodecBcdTests
{
    [TestCase(RegisterOrder.ABCD, 0x1234, 1234)]
    [TestCase(RegisterOrder.CDAB, 0x1234, 1234)]
    [TestCase(RegisterOrder.BADC, 0x3412, 1234)]
    [TestCase(RegisterOrder.DCBA, 0x3412, 1234)]
    [TestCase(RegisterOrder.ABCD, 0x9999, 9999)]
    [TestCase(RegisterOrder.ABCD, 0x0000, 0)]
    public void Bcd16_reads_four_digits_honouring_the_byte_swap(RegisterOrder order, int register, double expected)
    {
        Assert.That(RegisterValueCodec.Decode([(ushort)register], RegisterDataType.Bcd16, order), Is.EqualTo(expected));
    }

    [TestCase(RegisterOrder.ABCD, 0x1234, 0x5678)]
    [TestCase(RegisterOrder.CDAB, 0x5678, 0x1234)]
    [TestCase(RegisterOrder.BADC, 0x3412, 0x7856)]
    [TestCase(RegisterOrder.DCBA, 0x7856, 0x3412)]
    public void Bcd32_reads_eight_digits_in_every_order(RegisterOrder order, int first, int second)
    {
        Assert.That(RegisterValueCodec.Decode([(ushort)first, (ushort)second], RegisterDataType.Bcd32, order), Is.EqualTo(12345678));
    }

    [Test]
    public void An_invalid_nibble_is_reported_instead_of_a_wrong_value()
    {
        bool decoded = RegisterValueCodec.TryDecode([0x12A4], RegisterDataType.Bcd16, RegisterOrder.ABCD, out var value, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(value, Is.NaN);
        Assert.That(reason, Does.Contain("expected BCD digits 0..9, found 0xA as digit 3 of 4 in 0x12A4"));
        Assert.That(RegisterValueCodec.Decode([0x12A4], RegisterDataType.Bcd16, RegisterOrder.ABCD), Is.NaN);
    }

    [Test]
    public void TryDecode_succeeds_for_every_value_of_a_binary_type()
    {
        bool decoded = RegisterValueCodec.TryDecode([0xFFFF], RegisterDataType.Int16, RegisterOrder.ABCD, out var value, out var reason);

        Assert.That(decoded, Is.True);
        Assert.That(value, Is.EqualTo(-1));
        Assert.That(reason, Is.Null);
    }

    [TestCase(RegisterDataType.Bcd16, 10000, 9999)]
    [TestCase(RegisterDataType.Bcd16, -3, 0)]
    [TestCase(RegisterDataType.Bcd16, 41.5, 42)]
    [TestCase(RegisterDataType.Bcd32, 123456789, 99999999)]
    public void Encode_rounds_and_saturates_bcd(RegisterDataType type, double value, double stored)
    {
        var registers = new ushort[2];

        RegisterValueCodec.Encode(value, type, RegisterOrder.ABCD, registers);

        Assert.That(RegisterValueCodec.Decode(registers, type, RegisterOrder.ABCD), Is.EqualTo(stored));
    }

    [Test]
    public void Encode_writes_bcd_digits_into_nibbles()
    {
        var registers = new ushort[2];

        RegisterValueCodec.Encode(12345678, RegisterDataType.Bcd32, RegisterOrder.CDAB, registers);

        Assert.That(registers, Is.EqualTo(new ushort[] { 0x5678, 0x1234 }));
    }

    [TestCase(0, 1, 1)]
    [TestCase(1, 1, 0)]
    [TestCase(4, 4, 0xB)]
    [TestCase(12, 4, 0xA)]
    [TestCase(0, 16, 0xA0B1)]
    public void A_bit_field_is_read_from_its_offset_and_width(int offset, int width, int expected)
    {
        Assert.That(RegisterValueCodec.DecodeBitField(0xA0B1, offset, width), Is.EqualTo(expected));
    }

    [Test]
    public void A_bit_field_is_written_without_touching_the_other_bits()
    {
        Assert.That(RegisterValueCodec.EncodeBitField(0xFFFF, 4, 4, 0x5), Is.EqualTo(0xFF5F));
        Assert.That(() => RegisterValueCodec.EncodeBitField(0, 4, 4, 16), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(-1, 1)]
    [TestCase(0, 0)]
    [TestCase(8, 9)]
    public void A_bit_field_outside_the_register_is_refused(int offset, int width)
    {
        Assert.That(() => RegisterValueCodec.DecodeBitField(0, offset, width), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_string_reads_high_byte_first_and_drops_its_padding()
    {
        ushort[] registers = [0x5344, 0x4D36, 0x3330, 0x2020, 0x0000];

        Assert.That(RegisterValueCodec.DecodeString(registers), Is.EqualTo("SDM630"));
    }

    [Test]
    public void A_string_with_swapped_bytes_reads_low_byte_first()
    {
        ushort[] registers = [0x4453, 0x364D, 0x0033];

        Assert.That(RegisterValueCodec.DecodeString(registers, swapBytes: true), Is.EqualTo("SDM63"));
    }

    [Test]
    public void A_string_ends_at_its_first_nul()
    {
        ushort[] registers = [0x4142, 0x0043, 0x4445];

        Assert.That(RegisterValueCodec.DecodeString(registers), Is.EqualTo("AB"));
    }

    [Test]
    public void EncodeString_pads_with_nuls_and_refuses_what_does_not_fit()
    {
        var registers = new ushort[3];

        RegisterValueCodec.EncodeString("ABC", registers);

        Assert.That(registers, Is.EqualTo(new ushort[] { 0x4142, 0x4300, 0x0000 }));
        Assert.That(() => RegisterValueCodec.EncodeString("ABCDEFG", registers), Throws.ArgumentException.With.Message.Contains("7 characters"));
        Assert.That(() => RegisterValueCodec.EncodeString("Zähler", registers), Throws.ArgumentException.With.Message.Contains("non-ASCII"));
    }
}
