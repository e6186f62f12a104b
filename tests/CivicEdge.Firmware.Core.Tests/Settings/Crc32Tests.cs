using System.Text;
using CivicEdge.Firmware.Core.Settings;

namespace CivicEdge.Firmware.Core.Tests.Settings;

[TestFixture]
[Category("Unit")]
public sealed class Crc32Tests
{
    [Test]
    public void The_CRC_of_the_standard_check_string_is_the_published_check_value()
    {
        var data = Encoding.ASCII.GetBytes("xx123456789");

        Assert.That(Crc32.Compute(data, 2, 9), Is.EqualTo(0xCBF43926u));
    }

    [Test]
    public void The_CRC_of_nothing_is_zero()
    {
        Assert.That(Crc32.Compute([], 0, 0), Is.Zero);
    }
}
