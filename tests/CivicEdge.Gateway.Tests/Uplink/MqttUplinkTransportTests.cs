using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CivicEdge.Gateway.Tests.Uplink;

/// <summary>The MQTT uplink against a real broker, with a stand-in for the fleet on the other side.</summary>
[Category("Integration")]
public sealed class MqttUplinkTransportTests
{
    private const string GatewayId = "gw-mqtt-01";

    private MqttBroker _broker = null!;
    private FleetStandIn _fleet = null!;

    [SetUp]
    public async Task SetUp()
    {
        _broker = await MqttBroker.StartAsync();
        _fleet = await FleetStandIn.ConnectAsync(_broker.Port);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _fleet.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Test]
    public async Task Connecting_announces_the_gateway_online_as_a_retained_state()
    {
        await using var session = await Transport().ConnectAsync(CancellationToken.None);

        var state = await _fleet.NextStateAsync();
        var retained = await _broker.Server.GetRetainedMessageAsync(Topics.State(GatewayId));

        Assert.That((state.SourceId, state.Online, state.Version), Is.EqualTo((GatewayId, true, MqttUplinkTransport.Version)));
        Assert.That(retained, Is.Not.Null);
        Assert.That(ReadState(retained!.Payload).Online, Is.True);
    }

    [Test]
    public async Task A_batch_reaches_the_fleet_as_sent_and_the_fleet_acknowledgement_comes_back()
    {
        await using var session = await Transport().ConnectAsync(CancellationToken.None);
        var batch = new TelemetryBatch(GatewayId, Streams.Telemetry,
        [
            new TelemetryRecord(7, "mtr-1", "eastron-sdm630", TestReadings.Start, [new PointValue("voltage_l1", 230.1, "V", "voltage", Quality.Good)]),
            new TelemetryRecord(8, "mtr-2", null, TestReadings.Start.AddSeconds(5), [new PointValue("power_factor", -1.5, "1", null, Quality.OutOfRange)]),
        ]);

        await session.PublishAsync(batch, CancellationToken.None);

        var received = await _fleet.NextBatchAsync();
        Assert.That((received.Source, received.Stream), Is.EqualTo((batch.Source, batch.Stream)));
        Assert.That(received.Records, Is.EqualTo(batch.Records).Using<TelemetryRecord>(SameRecord));
        var ack = await session.Acks.ReadAsync().AsTask().WaitAsync(Wait.Limit);
        Assert.That(ack, Is.EqualTo(new DeliveryAck(Streams.Telemetry, 7, 8, AckStatus.Persisted, 2, 0)));
    }

    [Test]
    public async Task Closing_announces_the_gateway_offline_as_a_retained_state()
    {
        var session = await Transport().ConnectAsync(CancellationToken.None);
        await _fleet.NextStateAsync();

        await session.CloseAsync(CancellationToken.None);
        await session.DisposeAsync();

        Assert.That((await _fleet.NextStateAsync()).Online, Is.False);
        var retained = await _broker.Server.GetRetainedMessageAsync(Topics.State(GatewayId));
        Assert.That(ReadState(retained!.Payload).Online, Is.False);
    }

    [Test]
    public async Task A_connection_cut_by_the_broker_closes_the_session_and_the_last_will_announces_the_gateway_offline()
    {
        await using var session = await Transport().ConnectAsync(CancellationToken.None);
        await _fleet.NextStateAsync();

        await _broker.Server.DisconnectClientAsync(GatewayId, MqttDisconnectReasonCode.AdministrativeAction);

        await Wait.UntilAsync(() => session.Closed.IsCancellationRequested, "the session notices");
        var will = await _fleet.NextStateAsync();
        Assert.That((will.SourceId, will.Online), Is.EqualTo((GatewayId, false)));
    }

    [Test]
    public async Task A_malformed_acknowledgement_is_dropped_and_later_ones_still_arrive()
    {
        await using var session = await Transport().ConnectAsync(CancellationToken.None);

        await _broker.Server.InjectApplicationMessage(Topics.Ack(GatewayId), "{ not json", MqttQualityOfServiceLevel.AtLeastOnce, false);
        var good = new DeliveryAck(Streams.Telemetry, 1, 1, AckStatus.Persisted, 1, 0);
        await _broker.Server.InjectApplicationMessage(
            Topics.Ack(GatewayId), JsonSerializer.Serialize(good, ContractsJson.Default.DeliveryAck), MqttQualityOfServiceLevel.AtLeastOnce, false);

        Assert.That(await session.Acks.ReadAsync().AsTask().WaitAsync(Wait.Limit), Is.EqualTo(good));
    }

    [Test]
    public async Task Connecting_where_no_broker_listens_fails()
    {
        await _broker.StopAsync();

        Assert.That(async () => await Transport().ConnectAsync(CancellationToken.None), Throws.Exception);
    }

    private MqttUplinkTransport Transport() =>
        new(GatewayId, new UplinkOptions { Host = "127.0.0.1", Port = _broker.Port }, TimeProvider.System, NullLoggerFactory.Instance);

    private static SourceState ReadState(System.Buffers.ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        return JsonSerializer.Deserialize(ref reader, ContractsJson.Default.SourceState)!;
    }

    private static bool SameRecord(TelemetryRecord a, TelemetryRecord b) =>
        a.Seq == b.Seq && a.DeviceId == b.DeviceId && a.Model == b.Model && a.Timestamp == b.Timestamp && a.Points.SequenceEqual(b.Points);
}
