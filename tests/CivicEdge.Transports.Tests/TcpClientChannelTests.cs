using System.Net;

namespace CivicEdge.Transports.Tests;

[Category("Integration")]
[CancelAfter(10_000)]
public sealed class TcpClientChannelTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    [Test]
    public async Task Bytes_sent_by_the_channel_arrive_at_the_accepted_connection_and_back(CancellationToken ct)
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = new TcpClientChannel("127.0.0.1", listener.LocalEndPoint.Port, ConnectTimeout);

        Assert.That(await channel.OpenAsync(ct), Is.True);
        using var server = await listener.AcceptAsync(ct);
        await channel.SendAsync(new byte[] { 1, 2, 3 }, ct);
        var received = await ReceiveExactlyAsync(server, 3, ct);
        await server.SendAsync(received.Reverse().ToArray(), ct);
        var echoed = await ReceiveExactlyAsync(channel, 3, ct);

        Assert.That(received, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(echoed, Is.EqualTo(new byte[] { 3, 2, 1 }));
    }

    [Test]
    public async Task Available_counts_the_bytes_waiting_to_be_received(CancellationToken ct)
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = new TcpClientChannel("127.0.0.1", listener.LocalEndPoint.Port, ConnectTimeout);
        bool closedBefore = channel.Available == 0;
        await channel.OpenAsync(ct);
        using var server = await listener.AcceptAsync(ct);

        await server.SendAsync(new byte[] { 9, 8, 7 }, ct);
        while (channel.Available < 3)
            await Task.Delay(5, ct);
        var received = await ReceiveExactlyAsync(channel, 3, ct);

        Assert.That(closedBefore, Is.True);
        Assert.That(received, Is.EqualTo(new byte[] { 9, 8, 7 }));
        Assert.That(channel.Available, Is.Zero);
    }

    [Test]
    public async Task OpenAsync_keeps_a_live_connection()
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = new TcpClientChannel("127.0.0.1", listener.LocalEndPoint.Port, ConnectTimeout);
        await channel.OpenAsync(CancellationToken.None);
        using var server = await listener.AcceptAsync(CancellationToken.None);

        Assert.That(await channel.OpenAsync(CancellationToken.None), Is.False);
        Assert.That(channel.IsOpen, Is.True);
    }

    [Test]
    public async Task OpenAsync_notices_that_the_peer_closed_and_connects_anew()
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = new TcpClientChannel("127.0.0.1", listener.LocalEndPoint.Port, ConnectTimeout);
        await channel.OpenAsync(CancellationToken.None);
        (await listener.AcceptAsync(CancellationToken.None)).Dispose();

        bool reopened = await channel.OpenAsync(CancellationToken.None);
        using var second = await listener.AcceptAsync(CancellationToken.None);

        Assert.That(reopened, Is.True);
        Assert.That(channel.IsOpen, Is.True);
    }

    [Test]
    public async Task ReceiveAsync_returns_0_and_marks_the_channel_closed_when_the_peer_closes()
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = new TcpClientChannel("127.0.0.1", listener.LocalEndPoint.Port, ConnectTimeout);
        await channel.OpenAsync(CancellationToken.None);
        (await listener.AcceptAsync(CancellationToken.None)).Dispose();

        int received = await channel.ReceiveAsync(new byte[16], CancellationToken.None);

        Assert.That(received, Is.Zero);
        Assert.That(channel.IsOpen, Is.False);
    }

    [Test]
    public async Task A_refused_connection_is_an_IOException_naming_the_endpoint()
    {
        int port = ClosedPort();
        using var channel = new TcpClientChannel("127.0.0.1", port, ConnectTimeout);

        var error = await CatchAsync(() => channel.OpenAsync(CancellationToken.None).AsTask());

        Assert.That(error, Is.InstanceOf<IOException>());
        Assert.That(error!.Message, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(channel.IsOpen, Is.False);
    }

    [Test]
    public async Task Sending_on_a_channel_that_is_not_open_is_an_IOException()
    {
        using var channel = new TcpClientChannel("127.0.0.1", 502, ConnectTimeout);

        await Assert.ThrowsAsync<IOException>(async () => await channel.SendAsync(new byte[1], CancellationToken.None));
    }

    [Test]
    public async Task A_cancelled_receive_leaves_the_connection_usable()
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = new TcpClientChannel("127.0.0.1", listener.LocalEndPoint.Port, ConnectTimeout);
        await channel.OpenAsync(CancellationToken.None);
        using var server = await listener.AcceptAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var pending = channel.ReceiveAsync(new byte[16], cancel.Token).AsTask();

        await cancel.CancelAsync();
        var error = await CatchAsync(() => pending);
        await server.SendAsync(new byte[] { 42 }, CancellationToken.None);
        var received = await ReceiveExactlyAsync(channel, 1, CancellationToken.None);

        Assert.That(error, Is.InstanceOf<OperationCanceledException>());
        Assert.That(received, Is.EqualTo(new byte[] { 42 }));
    }

    [TestCase("")]
    [TestCase(" ")]
    public void The_constructor_refuses_an_empty_host(string host)
    {
        Assert.That(() => new TcpClientChannel(host, 502, ConnectTimeout), Throws.ArgumentException);
    }

    [TestCase(0)]
    [TestCase(65536)]
    public void The_constructor_refuses_a_port_outside_1_to_65535(int port)
    {
        Assert.That(() => new TcpClientChannel("127.0.0.1", port, ConnectTimeout), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_listener_reports_the_port_the_OS_chose()
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.That(listener.LocalEndPoint.Port, Is.Not.Zero);
    }

    [Test]
    public void Listening_on_a_taken_port_is_an_IOException_naming_the_endpoint()
    {
        using var first = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.That(() => TcpConnectionListener.Start(first.LocalEndPoint),
            Throws.InstanceOf<IOException>().With.Message.Contains(first.LocalEndPoint.ToString()));
    }

    private static int ClosedPort()
    {
        using var listener = TcpConnectionListener.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return listener.LocalEndPoint.Port;
    }

    private static async Task<Exception?> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static async Task<byte[]> ReceiveExactlyAsync(IByteChannel channel, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        for (int filled = 0, received; filled < count; filled += received)
        {
            received = await channel.ReceiveAsync(buffer.AsMemory(filled), ct);
            if (received == 0)
                throw new IOException($"The peer closed after {filled} of {count} bytes.");
        }

        return buffer;
    }

    private static async Task<byte[]> ReceiveExactlyAsync(TcpConnection connection, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        for (int filled = 0, received; filled < count; filled += received)
        {
            received = await connection.ReceiveAsync(buffer.AsMemory(filled), ct);
            if (received == 0)
                throw new IOException($"The peer closed after {filled} of {count} bytes.");
        }

        return buffer;
    }
}
