using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Json;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Host;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using ConfigurationStatus = CivicEdge.Fleet.Contracts.ConfigurationStatus;
using EventSeverity = CivicEdge.Firmware.Core.Uplink.EventSeverity;
using EventState = CivicEdge.Fleet.Contracts.EventState;

namespace CivicEdge.Firmware.Core.Tests.Integration;

/// <summary>
/// A device uplink on the host, over MQTTnet, against the real fleet and its embedded broker, through a relay the tests
/// cut like a network: each test provisions a device of its own through the ledger and runs it with a small fake app.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class FleetUplinkTests
{
    private FleetUnderTest _fleet = null!;
    private HttpClient _http = null!;
    private int _devices;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _fleet = new FleetUnderTest();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _fleet.StartAsync(timeout.Token);
        _http = _fleet.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        _http.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task Readings_reach_the_fleets_telemetry_api_and_leave_the_outbox_on_its_acknowledgement()
    {
        await using var device = await StartDeviceAsync();
        await device.Runner.Do(u =>
        {
            u.ReportPoint("lamp_current", 0.43, "A", "current", PointQuality.Good);
            u.ReportPoint("lamp_current", 0.44, "A", "current", PointQuality.Good);
            u.ReportPoint("lamp_current", 0.45, "A", "current", PointQuality.Stale);
        });
        await device.Runner.WaitUntil(u => u.Telemetry.Count == 0 && u.Telemetry.Delivered == 3, "the fleet acknowledged 3 readings");

        var telemetry = await _http.GetFromJsonAsync($"/api/devices/{device.Code}/telemetry", ContractsJson.Default.DeviceTelemetry);
        var samples = telemetry!.Series.Single(s => s.Point == "lamp_current").Samples;
        Assert.That(samples.Select(s => (s.Value, s.Quality)), Is.EqualTo(new[] { (0.43, Quality.Good), (0.44, Quality.Good), (0.45, Quality.Stale) }));
    }

    [Test]
    public async Task An_alarm_raised_by_the_device_appears_in_the_fleets_events()
    {
        await using var device = await StartDeviceAsync();
        await device.Runner.Do(u => u.RaiseEvent("lamp_failure", EventSeverity.Major, "Lamp draws no current while switched on", "lamp_current", 0.0));
        await device.Runner.WaitUntil(u => u.Events.Delivered == 1, "the fleet acknowledged the alarm");

        var events = await _http.GetFromJsonAsync($"/api/events?device={device.Code}", ContractsJson.Default.IReadOnlyListEventEntry);
        var alarm = events!.Single();
        Assert.That((alarm.Source, alarm.Seq, alarm.Code, alarm.State, alarm.Severity, alarm.Point, alarm.Value),
            Is.EqualTo((device.Code, 1L, "lamp_failure", EventState.Raised, Fleet.Contracts.EventSeverity.Major, "lamp_current", (double?)0.0)));
    }

    [Test]
    public async Task A_command_sent_through_the_fleets_api_is_executed_by_the_device_and_its_result_recorded()
    {
        await using var device = await StartDeviceAsync();
        using var response = await _http.PostAsync(
            "/api/commands?wait=15s",
            new StringContent($$"""{"device":"{{device.Code}}","name":"dim","arguments":{"level":40},"expiresInSeconds":30}""", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, body);

        var command = JsonSerializer.Deserialize(body, CommandsJson.Default.CommandBatch)!.Commands.Single();
        Assert.That((command.State, command.Reason), Is.EqualTo((CommandState.Succeeded, (string?)null)), body);
        Assert.That(command.Result!.Value.GetRawText(), Is.EqualTo("""{"level":40,"unit":"%"}"""));
        Assert.That(device.App.Level, Is.EqualTo(40));
    }

    [Test]
    public async Task A_desired_configuration_set_at_the_fleet_is_applied_by_the_device_and_reported_back()
    {
        await using var device = await StartDeviceAsync();
        using var put = await _http.PutAsync(
            $"/api/devices/{device.Code}/twin/desired",
            new StringContent($$"""{"devices":[{"id":"{{device.Code}}","dimLevel":65}]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.That(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var version = (await put.Content.ReadFromJsonAsync(ContractsJson.Default.DesiredState))!.Version;

        await device.Runner.WaitUntil(u => u.AppliedVersion == version, $"the device applied desired version {version}");
        Assert.That(device.App.Level, Is.EqualTo(65));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        DeviceTwin? twin;
        do
        {
            await Task.Delay(50);
            twin = await _http.GetFromJsonAsync($"/api/devices/{device.Code}/twin", ContractsJson.Default.DeviceTwin);
        }
        while (twin?.Reported?.AppliedVersion != version && DateTime.UtcNow < deadline);

        Assert.That(twin!.Reported, Is.Not.Null);
        Assert.That((twin.Reported!.Origin, twin.Reported.AppliedVersion, twin.Reported.LastDesired!.Status), Is.EqualTo((ConfigurationOrigin.Fleet, (long?)version, ConfigurationStatus.Applied)));
        Assert.That(twin.Reported.SoftwareVersion, Is.EqualTo("2.0.1"));
    }

    [Test]
    public async Task A_network_outage_loses_nothing_and_the_fleet_keeps_records_sent_twice_once()
    {
        await using var device = await StartDeviceAsync();

        // The fleet persists and acknowledges, but nothing reaches the device: the publish times out, the batch stays.
        device.Relay.Hold();
        await device.Runner.Do(u =>
        {
            u.ReportPoint("lamp_current", 1.0, "A", "current", PointQuality.Good);
            u.ReportPoint("lamp_current", 2.0, "A", "current", PointQuality.Good);
        });
        await device.Runner.WaitUntil(u => !u.IsConnected, "the device gave up on the stalled link");
        device.Relay.Cut();
        await device.Runner.Do(u => u.ReportPoint("lamp_current", 3.0, "A", "current", PointQuality.Good));
        await Task.Delay(300);
        Assert.That(await device.Runner.Read(u => (u.IsConnected, u.Telemetry.Count)), Is.EqualTo((false, 3)));

        device.Relay.Restore();
        await device.Runner.WaitUntil(u => u.Telemetry.Count == 0, "the outbox emptied after the outage", TimeSpan.FromSeconds(30));

        var telemetry = await _http.GetFromJsonAsync($"/api/devices/{device.Code}/telemetry", ContractsJson.Default.DeviceTelemetry);
        Assert.That(telemetry!.Series.Single().Samples.Select(s => s.Value), Is.EqualTo(new[] { 1.0, 2.0, 3.0 }));
        var firstSentTwice = device.Link.Published
            .Where(p => p.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            .Count(p => JsonSerializer.Deserialize(p.Payload, ContractsJson.Default.TelemetryBatch)!.Records.Any(r => r.Seq == 1));
        Assert.That(firstSentTwice, Is.GreaterThanOrEqualTo(2), "record 1 went out before and after the outage");
    }

    private async Task<RunningDevice> StartDeviceAsync()
    {
        var code = "POLE-IT-" + Interlocked.Increment(ref _devices).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var secret = await _fleet.ProvisionAsync(code, timeout.Token);
        var relay = new TcpRelay(_fleet.MqttPort);
        var mqtt = new MqttNetworkLink(new MqttNetworkLinkOptions { Host = "127.0.0.1", Port = relay.Port, Timeout = TimeSpan.FromSeconds(2), KeepAlive = TimeSpan.FromSeconds(5) });
        var link = new CountingLink(mqtt);
        var options = new UplinkOptions(code, code, secret, "2.0.1")
        {
            Model = "civicedge-pole",
            AckTimeoutMilliseconds = 3000,
            ReconnectMinMilliseconds = 100,
            ReconnectMaxMilliseconds = 500,
        };
        var app = new FakePoleApp();
        var uplink = new DeviceUplink(options, link, new SimulatedClock(TimeProvider.System), new MemorySettingsStorage(), ResetCause.PowerOn, new HostMemoryGauge());
        uplink.SetConfigurationHandler(app);
        uplink.RegisterCommand("dim", app);
        var runner = new DeviceRunner(uplink);
        var device = new RunningDevice(code, runner, relay, mqtt, link, app);
        await runner.WaitUntil(u => u.IsConnected, $"{code} connected to the fleet's broker");
        return device;
    }

    private sealed record RunningDevice(string Code, DeviceRunner Runner, TcpRelay Relay, MqttNetworkLink Mqtt, CountingLink Link, FakePoleApp App) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Runner.DisposeAsync();
            Mqtt.Dispose();
            await Relay.DisposeAsync();
        }
    }

    /// <summary>A pole that dims: the command <c>dim</c> and the setting <c>dimLevel</c> set the same level.</summary>
    private sealed class FakePoleApp : ICommandHandler, IConfigurationHandler
    {
        private volatile int _level = 100;

        public int Level => _level;

        public void Execute(CommandArguments arguments, CommandResponse response)
        {
            if (!arguments.TryGetNumber("level", out var level) || level is < 0 or > 100)
            {
                response.Reject("level: expected 0 to 100");
                return;
            }

            _level = (int)level;
            response.Succeed();
            response.Number("level", level);
            response.Text("unit", "%");
        }

        public string? Check(string name, ScalarValue value) =>
            name == "dimLevel" && value.Kind == ScalarKind.Number && value.Number is >= 0 and <= 100 ? null : "expected dimLevel from 0 to 100, found " + value.Describe();

        public void Apply(string name, ScalarValue value) => _level = (int)value.Number;

        public void RestoreDefaults() => _level = 100;
    }
}
