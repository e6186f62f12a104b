using System.Text;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class Crc32Tests
{
    [Test]
    public void The_checksum_of_the_standard_check_string_is_the_published_check_value()
    {
        var data = Encoding.ASCII.GetBytes("123456789");

        Assert.That(Crc32.Compute(data, 0, data.Length), Is.EqualTo(0xCBF43926u));
    }
}
