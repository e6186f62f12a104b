using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Uplink;

[Category("Unit")]
public sealed class UplinkServiceTests
{
    private const string Stream = Streams.Telemetry;

    private TempDirectory _directory = null!;
    private Outbox _outbox = null!;
    private FakeTimeProvider _time = null!;
    private FakeUplinkTransport _transport = null!;
    private UplinkService _service = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _outbox = new Outbox(_directory.File("outbox.db"));
        _time = new FakeTimeProvider(Start);
        _transport = new FakeUplinkTransport();
        var options = new UplinkOptions { ReconnectDelay = TimeSpan.FromSeconds(1), MaxReconnectDelay = TimeSpan.FromSeconds(1) };
        var monitor = new UplinkMonitor(_outbox, _time);
        var delivery = new OutboxDelivery(_outbox, "gw-1", options, monitor, _time, NullLogger<OutboxDelivery>.Instance);
        _service = new UplinkService(_transport, delivery, monitor, options, _time, NullLogger<UplinkService>.Instance);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        _outbox.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task After_a_lost_connection_it_reconnects_and_resends_what_was_not_acknowledged()
    {
        _outbox.Append(Stream, Readings(2));
        await _service.StartAsync(CancellationToken.None);
        var first = await _transport.NextSessionAsync();
        await first.NextPublishedAsync();

        first.Drop();
        var second = await NextSessionAdvancingTimeAsync();

        var resent = await second.NextPublishedAsync();
        Assert.That(resent.Records.Select(r => r.Seq), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public async Task A_refused_connection_is_retried_after_the_backoff()
    {
        _transport.FailNext = 2;
        _outbox.Append(Stream, Readings(1));
        await _service.StartAsync(CancellationToken.None);

        var session = await NextSessionAdvancingTimeAsync();

        Assert.That(_transport.Attempts, Is.EqualTo(3));
        Assert.That((await session.NextPublishedAsync()).Records.Single().Seq, Is.EqualTo(1));
    }

    [Test]
    public async Task Stopping_announces_the_gateway_offline_before_disconnecting()
    {
        await _service.StartAsync(CancellationToken.None);
        var session = await _transport.NextSessionAsync();

        await _service.StopAsync(CancellationToken.None);

        Assert.That(session.ClosedCleanly, Is.True);
    }

    /// <summary>Moves the fake clock on until the service has waited out its backoff and opened a new session.</summary>
    private async Task<FakeUplinkSession> NextSessionAdvancingTimeAsync()
    {
        FakeUplinkSession? session = null;
        await Wait.UntilAsync(() =>
        {
            if (_transport.TryTakeSession(out session))
                return true;
            _time.Advance(TimeSpan.FromSeconds(1));
            return false;
        }, "a new session");
        return session!;
    }
}
