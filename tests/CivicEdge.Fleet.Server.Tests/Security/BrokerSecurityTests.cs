using System.Net.Http.Json;
using System.Text;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>
/// The embedded broker against devices that misbehave: real MQTT 5 clients on the fleet's in-process broker, each test
/// with devices of its own, provisioned through the REST API.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BrokerSecurityTests
{
    private const int PayloadLimit = 64 * 1024;

    private FleetHost _fleet = null!;
    private HttpClient _http = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Timeout => _timeout.Token;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _fleet = new FleetHost(new Dictionary<string, string> { ["Fleet:Broker:MaxPayloadBytes"] = PayloadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _fleet.StartAsync(starting.Token);
        _http = _fleet.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        _http.Dispose();
        await _fleet.DisposeAsync();
    }

    [SetUp]
    public void StartTimeout() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

    [TearDown]
    public void StopTimeout() => _timeout.Dispose();

    [Test]
    public async Task A_device_cannot_connect_with_another_devices_credentials()
    {
        await _fleet.ProvisionAsync("sec-a1", Timeout);
        var otherSecret = await _fleet.ProvisionAsync("sec-a2", Timeout);

        var (first, withOtherSecret) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-a1", "sec-a1", otherSecret, Timeout);
        var (second, asOtherClient) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-a1", "sec-a2", otherSecret, Timeout);
        await first.DisposeAsync();
        await second.DisposeAsync();

        Assert.That(withOtherSecret, Is.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
        Assert.That(asOtherClient, Is.EqualTo(MqttClientConnectResultCode.ClientIdentifierNotValid), "no device may take over another's session");
    }

    [TestCase(null, null)]
    [TestCase("sec-nobody", "secret")]
    [TestCase("civicedge-fleet", "guess")]
    public async Task A_client_without_valid_credentials_is_refused(string? userName, string? password)
    {
        var (client, result) = await DeviceClient.ConnectAsync(_fleet.MqttPort, userName ?? "anonymous", userName, password, Timeout);
        await client.DisposeAsync();

        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
    }

    [Test]
    public async Task A_device_cannot_publish_outside_its_own_topics()
    {
        var secret = await _fleet.ProvisionAsync("sec-b1", Timeout);
        await _fleet.ProvisionAsync("sec-b2", Timeout);
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-b1", "sec-b1", secret, Timeout);

        var asOther = await device.PublishAsync(Topics.Telemetry("sec-b2"), Batches.Of("sec-b2", "sec-b2-meter", 1), Timeout);
        var forgedAck = await device.PublishTextAsync(Topics.Ack("sec-b1"), "{}", Timeout);
        var forgedDesired = await device.PublishTextAsync(Topics.Desired("sec-b1"), "{}", Timeout);
        var elsewhere = await device.PublishTextAsync("city/lights/all", "off", Timeout);

        Assert.That(new[] { asOther.ReasonCode, forgedAck.ReasonCode, forgedDesired.ReasonCode, elsewhere.ReasonCode },
            Is.All.EqualTo(MqttClientPublishReasonCode.NotAuthorized));
        using var stored = await _http.GetAsync(new Uri("/api/devices/sec-b2-meter", UriKind.Relative), Timeout);
        Assert.That(stored.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.NotFound), "nothing of the forged batch reached the store");
        Assert.That(device.IsConnected, Is.True, "a refused message does not end the session");
    }

    [Test]
    public async Task A_device_cannot_subscribe_to_another_devices_topics()
    {
        var secret = await _fleet.ProvisionAsync("sec-c1", Timeout);
        await _fleet.ProvisionAsync("sec-c2", Timeout);
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-c1", "sec-c1", secret, Timeout);

        var granted = new[]
        {
            await device.SubscribeAsync(Topics.Ack("sec-c2"), Timeout),
            await device.SubscribeAsync("civic/v1/+/ack", Timeout),
            await device.SubscribeAsync("#", Timeout),
            await device.SubscribeAsync(Topics.Ack("sec-c1"), Timeout),
        };

        Assert.That(granted, Is.EqualTo(new[]
        {
            MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.NotAuthorized,
            MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.GrantedQoS1,
        }));
    }

    [Test]
    public async Task A_devices_own_last_will_is_published_when_it_drops_off()
    {
        var secret = await _fleet.ProvisionAsync("sec-w3", Timeout);
        await using var watcher = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-w3/watch", "sec-w3", secret, Timeout);
        await watcher.SubscribeAsync(Topics.State("sec-w3"), Timeout);
        var (device, _) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-w3", "sec-w3", secret, Timeout, options => options
            .WithWillTopic(Topics.State("sec-w3"))
            .WithWillPayload("""{"sourceId":"sec-w3","online":false,"version":null,"timestamp":"2026-11-22T10:00:00Z"}"""u8.ToArray()));
        device.Drop();

        Assert.That(await watcher.ReceivesWithinAsync(Topics.State("sec-w3"), TimeSpan.FromSeconds(5)), Is.True, "the fleet learns a gateway is offline from its will");
    }

    [Test]
    public async Task A_last_will_on_another_devices_topic_is_never_published()
    {
        var forger = await _fleet.ProvisionAsync("sec-w1", Timeout);
        var victim = await _fleet.ProvisionAsync("sec-w2", Timeout);
        await using var watcher = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-w2", "sec-w2", victim, Timeout);
        await watcher.SubscribeAsync(Topics.State("sec-w2"), Timeout);
        var before = await BrokerStatusAsync();
        var (device, result) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-w1", "sec-w1", forger, Timeout, options => options
            .WithWillTopic(Topics.State("sec-w2"))
            .WithWillPayload("""{"sourceId":"sec-w2","online":false,"version":null,"timestamp":"2026-11-22T10:00:00Z"}"""u8.ToArray()));
        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.Success));

        device.Drop();
        await device.DisposeAsync();

        Assert.That(await watcher.ReceivesWithinAsync(Topics.State("sec-w2"), TimeSpan.FromSeconds(1)), Is.False, "the forged death notice was not delivered");
        Assert.That((await BrokerStatusAsync()).PublishesRefused.GetValueOrDefault("acl"), Is.GreaterThan(before.PublishesRefused.GetValueOrDefault("acl")));
    }

    [Test]
    public async Task A_gateway_publishes_for_the_devices_behind_it_and_not_for_others()
    {
        var secret = await _fleet.ProvisionAsync("sec-gw-d", Timeout);
        await _fleet.ProvisionAsync("sec-gw-e", Timeout);
        await Register("sec-d-meter", "sec-gw-d");
        await Register("sec-e-meter", "sec-gw-e");
        await using var gateway = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-gw-d", "sec-gw-d", secret, Timeout);

        Assert.That(await gateway.SubscribeAsync(Topics.Ack("sec-d-meter"), Timeout), Is.EqualTo(MqttClientSubscribeResultCode.GrantedQoS1));
        var behind = await gateway.PublishAsync(Topics.Telemetry("sec-d-meter"), Batches.Of("sec-d-meter", "sec-d-meter", 1), Timeout);
        var ack = await gateway.NextAckAsync(Topics.Ack("sec-d-meter"), Timeout);
        var notBehind = await gateway.PublishAsync(Topics.Telemetry("sec-e-meter"), Batches.Of("sec-e-meter", "sec-e-meter", 1), Timeout);

        Assert.That(behind.ReasonCode, Is.EqualTo(MqttClientPublishReasonCode.Success));
        Assert.That((ack.Status, ack.Stored), Is.EqualTo((AckStatus.Persisted, 1)));
        Assert.That(notBehind.ReasonCode, Is.EqualTo(MqttClientPublishReasonCode.NotAuthorized));
        Assert.That(await gateway.SubscribeAsync(Topics.Ack("sec-e-meter"), Timeout), Is.EqualTo(MqttClientSubscribeResultCode.NotAuthorized));
    }

    [Test]
    public async Task A_gateway_takes_commands_for_itself_and_its_devices_answers_on_its_own_results_topic_and_sends_no_commands()
    {
        var secret = await _fleet.ProvisionAsync("sec-gw-cmd", Timeout);
        await _fleet.ProvisionAsync("sec-gw-cmd-other", Timeout);
        await Register("sec-cmd-lamp", "sec-gw-cmd");
        await Register("sec-cmd-foreign", "sec-gw-cmd-other");
        await using var gateway = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-gw-cmd", "sec-gw-cmd", secret, Timeout);

        var subscriptions = new[]
        {
            await gateway.SubscribeAsync(Topics.Commands("sec-gw-cmd"), Timeout),
            await gateway.SubscribeAsync(Topics.Commands("sec-cmd-lamp"), Timeout),
            await gateway.SubscribeAsync(Topics.Commands("sec-gw-cmd-other"), Timeout),
            await gateway.SubscribeAsync(Topics.Commands("sec-cmd-foreign"), Timeout),
            await gateway.SubscribeAsync("civic/v1/+/commands", Timeout),
        };
        var ownResult = await gateway.PublishTextAsync(Topics.Results("sec-gw-cmd"), "{}", Timeout);
        var foreignResult = await gateway.PublishTextAsync(Topics.Results("sec-gw-cmd-other"), "{}", Timeout);
        var forgedCommand = await gateway.PublishTextAsync(Topics.Commands("sec-gw-cmd-other"), "{}", Timeout);
        var ownCommand = await gateway.PublishTextAsync(Topics.Commands("sec-gw-cmd"), "{}", Timeout);

        Assert.That(subscriptions, Is.EqualTo(new[]
        {
            MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.GrantedQoS1,
            MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.NotAuthorized,
        }));
        Assert.That(ownResult.ReasonCode, Is.EqualTo(MqttClientPublishReasonCode.Success));
        Assert.That(
            new[] { foreignResult.ReasonCode, forgedCommand.ReasonCode, ownCommand.ReasonCode },
            Is.All.EqualTo(MqttClientPublishReasonCode.NotAuthorized));
    }

    [Test]
    public async Task A_device_moved_to_another_gateway_is_out_of_the_old_gateways_reach_at_once()
    {
        var secret = await _fleet.ProvisionAsync("sec-gw-f", Timeout);
        await _fleet.ProvisionAsync("sec-gw-g", Timeout);
        await Register("sec-f-lamp", "sec-gw-f");
        await using var gateway = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-gw-f", "sec-gw-f", secret, Timeout);
        await gateway.SubscribeAsync(Topics.Desired("sec-f-lamp"), Timeout);
        await SetDesiredAsync("sec-f-lamp");
        await gateway.NextAsync(Topics.Desired("sec-f-lamp"), Timeout);

        using var moved = await _http.PatchAsync(
            new Uri("/api/devices/sec-f-lamp", UriKind.Relative), new StringContent("""{"gateway":"sec-gw-g"}""", Encoding.UTF8, "application/merge-patch+json"), Timeout);
        moved.EnsureSuccessStatusCode();
        await SetDesiredAsync("sec-f-lamp");

        Assert.That(await gateway.ReceivesWithinAsync(Topics.Desired("sec-f-lamp"), TimeSpan.FromSeconds(1)), Is.False,
            "the subscription made while the lamp was behind it no longer delivers");
        Assert.That((await gateway.PublishTextAsync(Topics.Live("sec-f-lamp"), "{}", Timeout)).ReasonCode, Is.EqualTo(MqttClientPublishReasonCode.NotAuthorized));
    }

    [Test]
    public async Task A_revoked_device_is_cut_off_at_once_and_refused_afterwards()
    {
        var secret = await _fleet.ProvisionAsync("sec-h1", Timeout);
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-h1", "sec-h1", secret, Timeout);

        using var revoked = await _http.PostAsJsonAsync(
            "/api/devices/sec-h1/credentials/revoke", new RevocationRequest { By = "test", Reason = "cabinet broken into" }, LedgerJson.Default.RevocationRequest, Timeout);
        var answer = await revoked.Content.ReadFromJsonAsync(LedgerJson.Default.RevocationAnswer, Timeout);
        var cut = await device.Disconnected.WaitAsync(Timeout);
        var (again, result) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-h1", "sec-h1", secret, Timeout);
        await again.DisposeAsync();

        Assert.That(answer!.SessionsClosed, Is.EqualTo(1));
        Assert.That(cut.Reason, Is.EqualTo(MqttClientDisconnectReason.AdministrativeAction));
        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
    }

    [Test]
    public async Task A_decommissioned_device_is_cut_off_and_refused_afterwards()
    {
        var secret = await _fleet.ProvisionAsync("sec-i1", Timeout);
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-i1", "sec-i1", secret, Timeout);

        using var decommissioned = await _http.PostAsJsonAsync(
            "/api/devices/sec-i1/decommission", new LifecycleRequest { By = "test", Reason = "pole removed" }, LedgerJson.Default.LifecycleRequest, Timeout);
        decommissioned.EnsureSuccessStatusCode();
        await device.Disconnected.WaitAsync(Timeout);
        var (again, result) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-i1", "sec-i1", secret, Timeout);
        await again.DisposeAsync();

        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.NotAuthorized));
    }

    [Test]
    public async Task A_rotation_revoking_the_old_secret_cuts_the_old_session_and_the_new_secret_connects()
    {
        var old = await _fleet.ProvisionAsync("sec-j1", Timeout);
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-j1", "sec-j1", old, Timeout);

        using var rotated = await _http.PostAsJsonAsync(
            "/api/devices/sec-j1/credentials/rotate", new CredentialRequest { By = "test", RevokeOld = true }, LedgerJson.Default.CredentialRequest, Timeout);
        var fresh = await rotated.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, Timeout);
        await device.Disconnected.WaitAsync(Timeout);
        await using var again = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-j1", "sec-j1", fresh!.Secret, Timeout);

        Assert.That(again.IsConnected, Is.True);
    }

    [Test]
    public async Task An_oversized_payload_is_refused_and_counted_while_the_device_and_others_carry_on()
    {
        var big = await _fleet.ProvisionAsync("sec-k1", Timeout);
        var other = await _fleet.ProvisionAsync("sec-k2", Timeout);
        await using var sender = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-k1", "sec-k1", big, Timeout);
        await using var neighbour = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-k2", "sec-k2", other, Timeout);
        await sender.SubscribeAsync(Topics.Ack("sec-k1"), Timeout);
        await neighbour.SubscribeAsync(Topics.Ack("sec-k2"), Timeout);
        var before = await BrokerStatusAsync();

        var oversized = await sender.PublishAsync(Topics.Telemetry("sec-k1"), new byte[PayloadLimit + 1], Timeout);
        await neighbour.PublishAsync(Topics.Telemetry("sec-k2"), Batches.Of("sec-k2", "sec-k2-meter", 1), Timeout);
        var neighbourAck = await neighbour.NextAckAsync(Topics.Ack("sec-k2"), Timeout);
        await sender.PublishAsync(Topics.Telemetry("sec-k1"), Batches.Of("sec-k1", "sec-k1-meter", 1), Timeout);
        var senderAck = await sender.NextAckAsync(Topics.Ack("sec-k1"), Timeout);
        var after = await BrokerStatusAsync();

        Assert.That(oversized.ReasonCode, Is.EqualTo(MqttClientPublishReasonCode.QuotaExceeded));
        Assert.That(after.PublishesRefused.GetValueOrDefault("oversized") - before.PublishesRefused.GetValueOrDefault("oversized"), Is.EqualTo(1));
        Assert.That((neighbourAck.Status, senderAck.Status), Is.EqualTo((AckStatus.Persisted, AckStatus.Persisted)));
    }

    [Test]
    public async Task A_malformed_payload_is_rejected_and_counted_without_disturbing_other_devices()
    {
        var bad = await _fleet.ProvisionAsync("sec-l1", Timeout);
        var good = await _fleet.ProvisionAsync("sec-l2", Timeout);
        await using var sender = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-l1", "sec-l1", bad, Timeout);
        await using var neighbour = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-l2", "sec-l2", good, Timeout);
        await sender.SubscribeAsync(Topics.Ack("sec-l1"), Timeout);
        await neighbour.SubscribeAsync(Topics.Ack("sec-l2"), Timeout);
        var ingestor = _fleet.Services.GetRequiredService<TelemetryIngestor>();
        var before = ingestor.Snapshot().RejectedByCause.GetValueOrDefault(RejectionCause.MalformedPayload);

        await sender.PublishTextAsync(Topics.Telemetry("sec-l1"), "{\"source\":\"sec-l1\",\"records\":[{\"seq\":", Timeout);
        var rejected = await sender.NextAckAsync(Topics.Ack("sec-l1"), Timeout);
        await neighbour.PublishAsync(Topics.Telemetry("sec-l2"), Batches.Of("sec-l2", "sec-l2-meter", 1), Timeout);
        var persisted = await neighbour.NextAckAsync(Topics.Ack("sec-l2"), Timeout);

        Assert.That(rejected.Status, Is.EqualTo(AckStatus.Rejected));
        Assert.That(ingestor.Snapshot().RejectedByCause[RejectionCause.MalformedPayload] - before, Is.EqualTo(1));
        Assert.That(persisted.Status, Is.EqualTo(AckStatus.Persisted));
        Assert.That(sender.IsConnected, Is.True);
    }

    [Test]
    public async Task A_flood_of_malformed_and_oversized_payloads_is_all_refused_and_counted_while_a_neighbours_batches_keep_being_stored()
    {
        const int Malformed = 60;
        const int Oversized = 15;
        const int NeighbourBatches = 10;
        var abuser = await _fleet.ProvisionAsync("sec-n1", Timeout);
        var good = await _fleet.ProvisionAsync("sec-n2", Timeout);
        await using var sender = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-n1", "sec-n1", abuser, Timeout);
        await using var neighbour = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "sec-n2", "sec-n2", good, Timeout);
        await sender.SubscribeAsync(Topics.Ack("sec-n1"), Timeout);
        await neighbour.SubscribeAsync(Topics.Ack("sec-n2"), Timeout);
        var ingestor = _fleet.Services.GetRequiredService<TelemetryIngestor>();
        var malformedBefore = ingestor.Snapshot().RejectedByCause.GetValueOrDefault(RejectionCause.MalformedPayload);
        var before = await BrokerStatusAsync();

        // The abuse and the neighbour's uplink run at the same time: the neighbour waits for each batch's ack.
        var abuse = Task.Run(async () =>
        {
            var refusedAtBroker = 0;
            for (var i = 0; i < Malformed + Oversized; i++)
            {
                if (i % 5 == 4)
                {
                    var result = await sender.PublishAsync(Topics.Telemetry("sec-n1"), new byte[PayloadLimit + 1 + i], Timeout);
                    refusedAtBroker += result.ReasonCode == MqttClientPublishReasonCode.QuotaExceeded ? 1 : 0;
                }
                else
                {
                    await sender.PublishTextAsync(Topics.Telemetry("sec-n1"), $"{{\"source\":\"sec-n1\",\"records\":[{{\"seq\":{i}", Timeout);
                }
            }

            return refusedAtBroker;
        });
        var neighbourAcks = new List<DeliveryAck>();
        for (var seq = 1; seq <= NeighbourBatches; seq++)
        {
            await neighbour.PublishAsync(Topics.Telemetry("sec-n2"), Batches.Of("sec-n2", "sec-n2-meter", seq), Timeout);
            neighbourAcks.Add(await neighbour.NextAckAsync(Topics.Ack("sec-n2"), Timeout));
        }

        var refusedAtBroker = await abuse;
        var rejections = new List<DeliveryAck>();
        for (var i = 0; i < Malformed; i++)
            rejections.Add(await sender.NextAckAsync(Topics.Ack("sec-n1"), Timeout));
        var after = await BrokerStatusAsync();

        Assert.That(neighbourAcks.Select(ack => (ack.Status, ack.Stored)), Is.All.EqualTo((AckStatus.Persisted, 1)));
        Assert.That(rejections.Select(ack => ack.Status), Is.All.EqualTo(AckStatus.Rejected));
        Assert.That(refusedAtBroker, Is.EqualTo(Oversized));
        Assert.That(after.PublishesRefused.GetValueOrDefault("oversized") - before.PublishesRefused.GetValueOrDefault("oversized"), Is.EqualTo(Oversized));
        Assert.That(ingestor.Snapshot().RejectedByCause[RejectionCause.MalformedPayload] - malformedBefore, Is.EqualTo(Malformed));
        Assert.That((sender.IsConnected, neighbour.IsConnected), Is.EqualTo((true, true)));
        var stored = await _http.GetFromJsonAsync("api/devices/sec-n2-meter", LedgerJson.Default.DeviceDetails, Timeout);
        Assert.That(stored!.Readings, Is.EqualTo(NeighbourBatches));
    }

    [Test]
    public async Task Every_refusal_is_counted_by_reason()
    {
        var before = await BrokerStatusAsync();
        var (client, _) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "sec-m0", "sec-m0", "nothing", Timeout);
        await client.DisposeAsync();

        var after = await BrokerStatusAsync();

        Assert.That(after.ConnectionsRefused.GetValueOrDefault("unknownDevice") - before.ConnectionsRefused.GetValueOrDefault("unknownDevice"), Is.EqualTo(1));
        Assert.That((after.Embedded, after.Authentication, after.MaxPayloadBytes), Is.EqualTo((true, true, PayloadLimit)));
    }

    private async Task Register(string code, string gateway)
    {
        using var response = await _http.PostAsJsonAsync(
            "/api/devices", new DeviceRegistration { Code = code, Kind = DeviceKind.EnergyMeter, Tenant = "test", Gateway = gateway, By = "test" }, LedgerJson.Default.DeviceRegistration, Timeout);
        response.EnsureSuccessStatusCode();
    }

    private async Task SetDesiredAsync(string device)
    {
        using var response = await _http.PutAsync(
            new Uri($"/api/devices/{device}/twin/desired", UriKind.Relative),
            new StringContent("""{"devices":[{"id":"x","profile":"eastron-sdm630","endpoint":"tcp://10.0.0.5:502"}]}""", Encoding.UTF8, "application/json"),
            Timeout);
        response.EnsureSuccessStatusCode();
    }

    private async Task<BrokerStatus> BrokerStatusAsync() =>
        (await _http.GetFromJsonAsync("/api/broker", LedgerJson.Default.BrokerStatus, Timeout))!;
}
