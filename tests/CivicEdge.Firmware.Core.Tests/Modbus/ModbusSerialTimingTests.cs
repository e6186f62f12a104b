using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Core.Tests.Modbus;

[TestFixture]
[Category("Unit")]
public sealed class ModbusSerialTimingTests
{
    [TestCase(9600, 4011, 1719)]
    [TestCase(19200, 2006, 860)]
    [TestCase(19201, 1750, 750)]
    [TestCase(115200, 1750, 750)]
    public void The_silent_intervals_follow_the_baud_rate_and_are_fixed_above_19200(int baud, int t35, int t15)
    {
        Assert.That(ModbusSerialTiming.FrameSilenceMicroseconds(baud), Is.EqualTo(t35));
        Assert.That(ModbusSerialTiming.CharacterGapMicroseconds(baud), Is.EqualTo(t15));
    }

    [TestCase(9600, 5)]
    [TestCase(19200, 3)]
    [TestCase(115200, 2)]
    public void A_frame_ends_after_t35_rounded_up_to_whole_milliseconds(int baud, int milliseconds)
    {
        Assert.That(ModbusSerialTiming.FrameSilenceMilliseconds(baud), Is.EqualTo(milliseconds));
    }

    [Test]
    public void An_impossible_baud_rate_is_refused_with_what_was_found()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => ModbusSerialTiming.FrameSilenceMicroseconds(0));

        Assert.That(refused.Message, Does.Contain("Expected a baud rate of 50..4000000, found 0."));
    }
}
