using System.IO.Ports;

namespace CivicEdge.Transports.Tests;

[Category("Integration")]
[CancelAfter(10_000)]
public sealed class SerialChannelTests
{
    [Test]
    public async Task Bytes_sent_by_the_channel_come_out_of_the_other_pty_and_back(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        using var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath, BaudRate = 19200, Parity = SerialParity.None });
        using var peer = OpenPeer(pair);

        Assert.That(await channel.OpenAsync(ct), Is.True);
        await channel.SendAsync(new byte[] { 0x11, 0x03, 0x00 }, ct);
        var received = await ReadExactlyAsync(peer.BaseStream, 3, ct);
        await peer.BaseStream.WriteAsync(new byte[] { 0x00, 0x03, 0x11 }, ct);
        var echoed = await ReceiveExactlyAsync(channel, 3, ct);

        Assert.That(received, Is.EqualTo(new byte[] { 0x11, 0x03, 0x00 }));
        Assert.That(echoed, Is.EqualTo(new byte[] { 0x00, 0x03, 0x11 }));
    }

    [Test]
    public async Task OpenAsync_keeps_an_open_port_and_reopens_after_Close(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        using var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath });

        bool first = await channel.OpenAsync(ct);
        bool again = await channel.OpenAsync(ct);
        channel.Close();
        bool closed = channel.IsOpen;
        bool reopened = await channel.OpenAsync(ct);

        Assert.That((first, again, closed, reopened), Is.EqualTo((true, false, false, true)));
    }

    [Test]
    public async Task Available_counts_the_bytes_waiting_to_be_received(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        using var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath });
        using var peer = OpenPeer(pair);
        await channel.OpenAsync(ct);

        await peer.BaseStream.WriteAsync(new byte[] { 1, 2, 3, 4 }, ct);
        while (channel.Available < 4)
            await Task.Delay(5, ct);
        var received = await ReceiveExactlyAsync(channel, 4, ct);

        Assert.That(received, Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(channel.Available, Is.Zero);
    }

    [Test]
    public async Task A_receive_ends_with_cancellation_and_the_port_stays_usable(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        using var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath });
        using var peer = OpenPeer(pair);
        await channel.OpenAsync(ct);

        using (var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
            Assert.That(async () => await channel.ReceiveAsync(new byte[8], shortWait.Token), Throws.InstanceOf<OperationCanceledException>());
        await peer.BaseStream.WriteAsync(new byte[] { 7 }, ct);
        var received = await ReceiveExactlyAsync(channel, 1, ct);

        Assert.That(received, Is.EqualTo(new byte[] { 7 }));
        Assert.That(channel.IsOpen, Is.True);
    }

    [Test]
    public async Task A_receive_waiting_on_a_line_whose_other_end_stays_open_ends_when_the_channel_is_closed(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath, ReadTimeout = TimeSpan.FromMilliseconds(int.MaxValue) });
        using var peer = OpenPeer(pair);
        await channel.OpenAsync(ct);
        await peer.BaseStream.WriteAsync(new byte[] { 1 }, ct);
        await ReceiveExactlyAsync(channel, 1, ct);

        // No cancellation token: only closing the channel can end this wait, while the peer keeps the line open.
        var waiting = channel.ReceiveAsync(new byte[8], CancellationToken.None).AsTask();
        channel.Dispose();

        Assert.That(async () => await waiting, Throws.InstanceOf<IOException>());
    }

    [Test]
    public async Task A_send_larger_than_the_drivers_buffers_waits_for_the_other_end_and_delivers_every_byte_in_order(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        using var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath, Parity = SerialParity.None });
        using var peer = OpenPeer(pair);
        await channel.OpenAsync(ct);
        var data = new byte[256 * 1024];
        for (int i = 0; i < data.Length; i++)
            data[i] = (byte)(i * 7);

        // Twice, so that the second send waits again on the line's one thread for room to write.
        for (int round = 0; round < 2; round++)
        {
            var sending = channel.SendAsync(data, ct).AsTask();
            var received = await ReadExactlyAsync(peer.BaseStream, data.Length, ct);
            await sending;

            Assert.That(received, Is.EqualTo(data), $"round {round}");
        }
    }

    [Test]
    public async Task A_send_the_other_end_never_takes_fails_after_the_read_timeout_naming_the_device(CancellationToken ct)
    {
        using var pair = await SocatPtyPair.StartAsync(ct);
        using var channel = new SerialChannel(new SerialChannelOptions { Path = pair.DevicePath, Parity = SerialParity.None, ReadTimeout = TimeSpan.FromMilliseconds(300) });
        using var peer = OpenPeer(pair);
        await channel.OpenAsync(ct);

        // More than the ptys and socat buffer between them, while the peer reads nothing.
        Assert.That(async () => await channel.SendAsync(new byte[4 * 1024 * 1024], ct),
            Throws.InstanceOf<IOException>().With.Message.Contains(pair.DevicePath).And.Message.Contains("300 ms"));
        Assert.That(channel.IsOpen, Is.True);
    }

    [Test]
    public void OpenAsync_names_a_missing_device_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"civic-no-such-tty-{Guid.NewGuid():N}");
        using var channel = new SerialChannel(new SerialChannelOptions { Path = path });

        Assert.That(async () => await channel.OpenAsync(CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains(path).And.Message.Contains("does not exist"));
        Assert.That(channel.IsOpen, Is.False);
    }

    [Test]
    public void Receiving_on_a_channel_never_opened_is_an_IOException_naming_the_device()
    {
        using var channel = new SerialChannel(new SerialChannelOptions { Path = "/dev/ttyCIVIC9" });

        Assert.That(async () => await channel.ReceiveAsync(new byte[1], CancellationToken.None),
            Throws.InstanceOf<IOException>().With.Message.Contains("/dev/ttyCIVIC9"));
    }

    [TestCase("Path", "")]
    [TestCase("BaudRate", "0")]
    [TestCase("DataBits", "9")]
    [TestCase("StopBits", "3")]
    [TestCase("ReadTimeout", "00:00:00")]
    [Category("Unit")]
    public void Options_out_of_range_are_refused_naming_the_option(string option, string value)
    {
        var options = new SerialChannelOptions { Path = "/dev/ttyUSB0" };
        switch (option)
        {
            case "Path": options.Path = value; break;
            case "BaudRate": options.BaudRate = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "DataBits": options.DataBits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "StopBits": options.StopBits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.ReadTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        Assert.That(() => new SerialChannel(options), Throws.InstanceOf<ArgumentException>().With.Message.Contains(option));
    }

    [Test]
    [Category("Unit")]
    public void Settings_read_as_installers_write_them()
    {
        var options = new SerialChannelOptions { Path = "/dev/ttyUSB0", BaudRate = 19200, Parity = SerialParity.Even };

        Assert.That(options.ToString(), Is.EqualTo("/dev/ttyUSB0 19200 8E1"));
        Assert.That(options.BitsPerCharacter, Is.EqualTo(11));
    }

    private static SerialPort OpenPeer(SocatPtyPair pair)
    {
        var port = new SerialPort(pair.PeerPath, 9600, Parity.None, 8, StopBits.One);
        port.Open();
        return port;
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }

    private static async Task<byte[]> ReceiveExactlyAsync(IByteChannel channel, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        int filled = 0;
        while (filled < count)
            filled += await channel.ReceiveAsync(buffer.AsMemory(filled), ct);
        return buffer;
    }
}
