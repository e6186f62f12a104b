using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Uplink;

/// <summary>Outbox, delivery loop, reconnecting service and MQTT client against a real broker and a fleet stand-in.</summary>
[Category("Integration")]
public sealed class UplinkEndToEndTests
{
    private const string Stream = Streams.Telemetry;

    [Test]
    public async Task Records_leave_the_outbox_only_on_the_fleet_ack_and_delivery_resumes_after_the_broker_restarts()
    {
        using var directory = new TempDirectory();
        using var outbox = new Outbox(directory.File("outbox.db"));
        await using var broker = await MqttBroker.StartAsync();
        var fleet = await FleetStandIn.ConnectAsync(broker.Port);
        var options = new UplinkOptions
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            AckTimeout = TimeSpan.FromMilliseconds(300),
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        };
        var transport = new MqttUplinkTransport("gw-e2e-01", options, TimeProvider.System, NullLoggerFactory.Instance);
        var monitor = new UplinkMonitor(outbox, TimeProvider.System);
        var delivery = new OutboxDelivery(outbox, "gw-e2e-01", options, monitor, TimeProvider.System, NullLogger<OutboxDelivery>.Instance);
        using var service = new UplinkService(transport, delivery, monitor, options, TimeProvider.System, NullLogger<UplinkService>.Instance);
        try
        {
            fleet.Answer = _ => null;
            outbox.Append(Stream, Readings(3));
            await service.StartAsync(CancellationToken.None);

            var unanswered = await fleet.NextBatchAsync();
            var resent = await fleet.NextBatchAsync();
            Assert.That(resent.Records.Select(r => r.Seq), Is.EqualTo(unanswered.Records.Select(r => r.Seq)), "no ack, so the same range again");
            Assert.That(outbox.Status(Stream).Depth, Is.EqualTo(3), "the broker's PUBACK deletes nothing");

            fleet.Answer = FleetStandIn.Persist;
            await Wait.UntilAsync(() => outbox.Status(Stream).Depth == 0, "the acknowledged records leave the outbox");

            await fleet.DisposeAsync();
            await broker.StopAsync();
            outbox.Append(Stream, Readings(2, firstVolts: 4));
            await broker.RestartAsync();
            fleet = await FleetStandIn.ConnectAsync(broker.Port);

            await Wait.UntilAsync(() => outbox.Status(Stream).Depth == 0, "records buffered while the broker was away are delivered");
            Assert.That(outbox.Status(Stream).LastSeq, Is.EqualTo(5));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            await fleet.DisposeAsync();
        }
    }
}
