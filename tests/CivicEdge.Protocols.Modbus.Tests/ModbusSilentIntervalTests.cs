namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Silent intervals and wire times of MODBUS over Serial Line V1.02 §2.5.1.1.</summary>
[Category("Unit")]
public sealed class ModbusSilentIntervalTests
{
    [TestCase(SerialParity.None, 1, 10)]
    [TestCase(SerialParity.Even, 1, 11)]
    [TestCase(SerialParity.Odd, 1, 11)]
    [TestCase(SerialParity.None, 2, 11)]
    public void A_character_has_start_data_parity_and_stop_bits(SerialParity parity, int stopBits, int bits)
    {
        Assert.That(ModbusSilentInterval.For(9600, parity, stopBits).BitsPerCharacter, Is.EqualTo(bits));
    }

    [Test]
    public void At_9600_baud_8E1_the_intervals_follow_the_character_time()
    {
        var line = ModbusSilentInterval.For(9600, SerialParity.Even);

        // 11 bits / 9600 = 1145.83 µs per character
        Assert.That(line.T15.TotalMicroseconds, Is.EqualTo(1718.75).Within(0.1));
        Assert.That(line.T35.TotalMicroseconds, Is.EqualTo(4010.42).Within(0.1));
    }

    [TestCase(38400)]
    [TestCase(115200)]
    public void Above_19200_baud_the_intervals_are_fixed(int baud)
    {
        var line = ModbusSilentInterval.For(baud, SerialParity.None);

        Assert.That(line.T15, Is.EqualTo(TimeSpan.FromMicroseconds(750)));
        Assert.That(line.T35, Is.EqualTo(TimeSpan.FromMicroseconds(1750)));
    }

    [Test]
    public void At_19200_baud_the_intervals_still_follow_the_character_time()
    {
        var line = ModbusSilentInterval.For(19200, SerialParity.Even);

        Assert.That(line.T35.TotalMicroseconds, Is.EqualTo(2005.21).Within(0.1));
    }

    [Test]
    public void Wire_time_counts_every_bit_of_every_byte()
    {
        var line = ModbusSilentInterval.For(9600, SerialParity.None);

        Assert.That(line.WireTime(33), Is.EqualTo(TimeSpan.FromMicroseconds(34375)));
        Assert.That(line.WireTime(0), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Ten_registers_at_9600_8N1_allow_24_polls_per_second()
    {
        // Request: address, FC 3, address, quantity, CRC = 8 bytes. Response: address, FC 3, byte count, 20 data bytes,
        // CRC = 25 bytes. Each frame is followed by 3.5 characters of silence: 40 characters of 10 bits at 9600 baud.
        var line = ModbusSilentInterval.For(9600, SerialParity.None);

        Assert.That(line.MaxTransactionsPerSecond(8, 25), Is.EqualTo(24.0).Within(1e-9));
    }

    [TestCase(0, SerialParity.Even, 1, 8)]
    [TestCase(9600, SerialParity.Even, 3, 8)]
    [TestCase(9600, SerialParity.Even, 1, 9)]
    [TestCase(9600, (SerialParity)7, 1, 8)]
    public void A_line_that_cannot_exist_is_refused(int baud, SerialParity parity, int stopBits, int dataBits)
    {
        Assert.That(() => ModbusSilentInterval.For(baud, parity, stopBits, dataBits), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
