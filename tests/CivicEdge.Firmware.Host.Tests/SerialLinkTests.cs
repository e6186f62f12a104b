using System.IO.Ports;
using System.Net;
using CivicEdge.Firmware.Host.Tests.Support;

namespace CivicEdge.Firmware.Host.Tests;

[TestFixture]
[Category("Integration")]
public sealed class SerialLinkTests
{
    [Test]
    public void Bytes_written_at_one_end_of_a_pty_pair_are_read_at_the_other()
    {
        using var pty = PtyPair.Open();
        using var device = new SerialDeviceLink(pty.Device, 9600);
        using var peer = new SerialDeviceLink(pty.Peer, 9600);
        var received = new byte[16];

        device.Write([0x01, 0x03, 0x00, 0x00], 0, 4);
        var read = 0;
        while (read < 4)
        {
            var got = peer.Read(received, read, received.Length - read, 2000);
            Assert.That(got, Is.Positive, "the bytes did not arrive within 2 s");
            read += got;
        }

        Assert.That(received[..4], Is.EqualTo(new byte[] { 0x01, 0x03, 0x00, 0x00 }));
    }

    [Test]
    public void A_read_on_a_quiet_line_returns_nothing_after_its_timeout()
    {
        using var pty = PtyPair.Open();
        using var device = new SerialDeviceLink(pty.Device, 9600);

        Assert.That(device.Read(new byte[8], 0, 8, 20), Is.Zero);
    }

    [Test]
    public void Even_parity_on_a_pty_opens_without_a_parity_bit()
    {
        using var pty = PtyPair.Open();

        using var device = new SerialDeviceLink(pty.Device, 19200, Parity.Even);

        Assert.That(device.BaudRate, Is.EqualTo(19200));
    }

    [Test]
    public void Opening_a_serial_device_that_does_not_exist_names_the_path()
    {
        var missing = Assert.Throws<IOException>(() => new SerialDeviceLink("/dev/ttyCIVIC-missing", 9600));

        Assert.That(missing.Message, Is.EqualTo("Serial device /dev/ttyCIVIC-missing does not exist: expected a serial port or pty at that path."));
    }

    [Test]
    public void Bytes_written_over_TCP_while_no_master_is_connected_are_counted_as_dropped()
    {
        using var link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), 9600);

        link.Write([1, 2, 3], 0, 3);

        Assert.That(link.DroppedBytes, Is.EqualTo(3));
        Assert.That(link.LocalPort, Is.Positive);
    }
}
