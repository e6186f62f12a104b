using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>Twins and health through the REST API and the embedded broker, as a gateway and an operator use them.</summary>
[Category("Integration")]
public sealed class TwinApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private FleetHost _fleet = null!;
    private HttpClient _http = null!;
    private IMqttClient _gateway = null!;
    private Channel<(string Topic, byte[] Payload, bool Retained)> _received = null!;
    private string _secret = null!;

    [SetUp]
    public async Task SetUp()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = new FleetHost();
        await _fleet.StartAsync(cancel.Token);
        _http = _fleet.CreateClient();
        _received = Channel.CreateUnbounded<(string, byte[], bool)>();
        _gateway = new MqttClientFactory().CreateMqttClient();
        _gateway.ApplicationMessageReceivedAsync += args =>
        {
            _received.Writer.TryWrite((args.ApplicationMessage.Topic, args.ApplicationMessage.Payload.ToArray(), args.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        _secret = await _fleet.ProvisionAsync("gw-twin", cancel.Token);
        await _gateway.ConnectAsync(GatewayOptions("gw-twin/test"), cancel.Token);
        await _gateway.SubscribeAsync(Topics.Desired("gw-twin"), MqttQualityOfServiceLevel.AtLeastOnce, cancel.Token);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _gateway.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        _gateway.Dispose();
        _http.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task Each_desired_change_raises_the_version_and_goes_out_retained_on_the_gateways_desired_topic()
    {
        var first = await PutAsync("""{"devices":[{"id":"mtr-1","profile":"eastron-sdm630","endpoint":"tcp://10.0.0.5:502"}]}""");
        var second = await PutAsync("""{"buses":[{"id":"rs485-1","kind":"rtu","path":"/dev/ttyUSB0"}],"devices":[{"id":"mtr-1","profile":"eastron-sdm630","bus":"rs485-1","unit":3}],"profiles":[]}""");

        Assert.That((first.Version, second.Version), Is.EqualTo((1L, 2L)));
        var published = await NextDesiredAsync(state => state.Version == 2);
        Assert.That(published.Configuration!.Devices.Single().GetProperty("unit").GetInt32(), Is.EqualTo(3));
        var twin = await _http.GetFromJsonAsync("api/devices/gw-twin/twin", ContractsJson.Default.DeviceTwin);
        Assert.That((twin!.Desired!.Version, twin.Reported), Is.EqualTo((2L, (ReportedState?)null)));

        using var late = new MqttClientFactory().CreateMqttClient();
        var retained = new TaskCompletionSource<bool>();
        late.ApplicationMessageReceivedAsync += args =>
        {
            retained.TrySetResult(args.ApplicationMessage.Retain);
            return Task.CompletedTask;
        };
        await late.ConnectAsync(GatewayOptions("gw-twin/late"));
        await late.SubscribeAsync(Topics.Desired("gw-twin"), MqttQualityOfServiceLevel.AtLeastOnce);
        Assert.That(await retained.Task.WaitAsync(Timeout), Is.True, "a gateway connecting later gets it as a retained message");
    }

    [Test]
    public async Task A_desired_body_of_the_wrong_shape_is_refused_with_problem_details_naming_each_place()
    {
        using var response = await _http.PutAsync("api/devices/gw-twin/twin/desired", Json(
            """{"devices":[{"profile":"eastron-sdm630"},{"id":"a","unit":{"x":1}},{"id":"a"}],"buses":{},"extra":1,"profiles":[42]}"""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(errors, Is.EquivalentTo(new[] { "extra", "buses", "devices[0].id", "devices[1].unit", "devices[2].id", "profiles[0]" }));
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("devices[2].id: expected every id once, found 'a' again (first at devices[1])"));

        using var notJson = await _http.PutAsync("api/devices/gw-twin/twin/desired", Json("{\"devices\": ["));
        Assert.That(notJson.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var missing = await _http.GetAsync("api/devices/gw-twin/twin");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing was stored");
    }

    [Test]
    public async Task The_reported_state_and_the_health_report_a_gateway_publishes_are_served_as_received()
    {
        await PutAsync("""{"devices":[{"id":"mtr-1","profile":"eastron-sdm630","endpoint":"tcp://10.0.0.5:502"}]}""");
        var reported = new ReportedState("gw-twin", "0.1.0", At, ConfigurationOrigin.Fleet, 1,
            new ConfigurationOutcome(1, ConfigurationStatus.Applied, [], At), null, [new ReportedDevice("mtr-1", "eastron-sdm630", "tcp://10.0.0.5:502", 1, 5)]);
        var health = new HealthReport("gw-twin", "0.1.0", At, 60, ConfigurationOrigin.Fleet, 1, new ProcessHealth(3, 1, 50_000_000, 8_000_000),
            new DiskHealth("/data/gateway.db", 1000, 2000), [new OutboxHealth(Streams.Telemetry, 0, null, 10, 10, 0)], new UplinkHealth(true, At, null, null, 0),
            [new DeviceHealth("mtr-1", "tcp://10.0.0.5:502", HealthVerdict.Ok, [], 12, 12, 12, 0, 0, 0, 0, 0, 3.5, 9, At, At)]);

        await PublishAsync(Topics.Reported("gw-twin"), JsonSerializer.SerializeToUtf8Bytes(reported, ContractsJson.Default.ReportedState));
        await PublishAsync(Topics.Health("gw-twin"), JsonSerializer.SerializeToUtf8Bytes(health, ContractsJson.Default.HealthReport));
        await PublishAsync(Topics.Health("gw-twin"), JsonSerializer.SerializeToUtf8Bytes(health with { SourceId = "gw-other" }, ContractsJson.Default.HealthReport));

        DeviceTwin? twin = null;
        var deadline = DateTime.UtcNow + Timeout;
        while ((twin = await _http.GetFromJsonAsync("api/devices/gw-twin/twin", ContractsJson.Default.DeviceTwin))?.Reported is null && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.That(twin!.Reported!.LastDesired!.Status, Is.EqualTo(ConfigurationStatus.Applied));
        Assert.That(twin.Reported.Devices.Single().Id, Is.EqualTo("mtr-1"));
        Assert.That(twin.ReportedAt, Is.Not.Null);

        // Reported state and health come on two topics: seeing the one stored says nothing of the other yet.
        HttpResponseMessage healthResponse;
        while ((healthResponse = await _http.GetAsync("api/gateways/gw-twin/health")).StatusCode == HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
        {
            healthResponse.Dispose();
            await Task.Delay(20);
        }

        using (healthResponse)
        {
            var served = await healthResponse.Content.ReadFromJsonAsync(ContractsJson.Default.HealthReport);
            Assert.That(served!.Devices.Single().LatencyAverageMs, Is.EqualTo(3.5));
        }

        using var unknown = await _http.GetAsync("api/gateways/gw-other/health");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a report naming another source than its topic is refused");
    }

    [Test]
    public async Task Withdrawing_the_desired_configuration_sends_a_new_version_without_one()
    {
        using var nothing = await _http.DeleteAsync("api/devices/gw-twin/twin/desired");
        Assert.That(nothing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await PutAsync("""{"devices":[{"id":"mtr-1","profile":"eastron-sdm630","endpoint":"tcp://10.0.0.5:502"}]}""");

        using var response = await _http.DeleteAsync("api/devices/gw-twin/twin/desired");

        var state = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ContractsJson.Default.DesiredState)!;
        Assert.That((state.Version, state.Configuration), Is.EqualTo((2L, (DesiredConfiguration?)null)));
        Assert.That((await NextDesiredAsync(s => s.Version == 2)).Configuration, Is.Null);
    }

    private async Task<DesiredState> PutAsync(string json)
    {
        using var response = await _http.PutAsync("api/devices/gw-twin/twin/desired", Json(json));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ContractsJson.Default.DesiredState)!;
    }

    private async Task<DesiredState> NextDesiredAsync(Func<DesiredState, bool> condition)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        while (true)
        {
            var (_, payload, _) = await _received.Reader.ReadAsync(cancel.Token);
            var state = JsonSerializer.Deserialize(payload, ContractsJson.Default.DesiredState)!;
            if (condition(state))
                return state;
        }
    }

    private Task PublishAsync(string topic, byte[] payload) =>
        _gateway.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build());

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private MqttClientOptions GatewayOptions(string clientId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _fleet.MqttPort)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials("gw-twin", _secret)
            .Build();
}
