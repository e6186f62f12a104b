using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Tests.Support;

namespace CivicEdge.Firmware.Core.Tests.Modbus;

[TestFixture]
[Category("Unit")]
public sealed class ModbusCrc16Tests
{
    [TestCase("11 03 00 6B 00 03 76 87", TestName = "The CRC of the specification's read-holding-registers example is 76 87")]
    [TestCase("01 03 00 00 00 0A C5 CD", TestName = "The CRC of a read of ten registers from unit 1 is C5 CD")]
    [TestCase("01 05 00 00 FF 00 8C 3A", TestName = "The CRC of a write-single-coil to on is 8C 3A")]
    public void A_published_frame_carries_a_valid_CRC(string hex)
    {
        var frame = Frames.Hex(hex);

        Assert.That(ModbusCrc16.IsValid(frame, frame.Length), Is.True);
    }

    [Test]
    public void A_frame_with_one_changed_bit_fails_the_CRC()
    {
        var frame = Frames.Hex("11 03 00 6B 00 03 76 87");
        frame[3] ^= 0x01;

        Assert.That(ModbusCrc16.IsValid(frame, frame.Length), Is.False);
    }
}
