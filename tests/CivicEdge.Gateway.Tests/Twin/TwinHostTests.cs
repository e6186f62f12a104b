using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Twin;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Tests.Twin;

/// <summary>
/// Configuration applied while the gateway runs, through the host as Program.cs composes it: from the local file the
/// gateway was started with, and from the fleet's desired state over a real MQTT broker.
/// </summary>
[Category("Integration")]
public sealed class TwinHostTests
{
    private const string GatewayId = "gw-twin-01";

    private TempDirectory _directory = null!;
    private FakeModbusMasterFactory _masters = null!;
    private string _configFile = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        TestProfiles.WriteMeter(_directory);
        _masters = new FakeModbusMasterFactory();
        _configFile = _directory.File("gateway.json");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task A_device_added_to_the_local_file_is_polled_without_a_restart_and_the_others_keep_their_pollers_and_counters()
    {
        WriteConfig(Device("mtr-1", 1), Device("mtr-2", 2, endpoint: "tcp://127.0.0.1:5021"));
        var transport = new FakeUplinkTransport();
        using var host = Build(transport);
        await host.StartAsync();
        var session = await transport.NextSessionAsync();
        var acquisition = host.Services.GetRequiredService<AcquisitionService>();
        await Wait.UntilAsync(() => acquisition.Pollers.All(p => p.Polls >= 3), "both devices polled a few times");
        var before = acquisition.Pollers.ToDictionary(p => p.DeviceId);
        var pollsBefore = before.Values.ToDictionary(p => p.DeviceId, p => p.Polls);

        WriteConfig(Device("mtr-1", 1), Device("mtr-2", 2, endpoint: "tcp://127.0.0.1:5021"), Device("mtr-3", 3));

        var reported = await NextReportedAsync(session, r => r.Devices.Count == 3);
        Assert.That(reported.LastLocal!.Status, Is.EqualTo(ConfigurationStatus.Applied));
        Assert.That(reported.Origin, Is.EqualTo(ConfigurationOrigin.Local));
        await Wait.UntilAsync(() => acquisition.Pollers.Single(p => p.DeviceId == "mtr-3").Polls >= 2, "the new device is polled");
        Assert.That(acquisition.Pollers.Single(p => p.DeviceId == "mtr-2"), Is.SameAs(before["mtr-2"]), "the other bus is untouched");
        Assert.That(acquisition.Pollers.Single(p => p.DeviceId == "mtr-1"), Is.SameAs(before["mtr-1"]), "an unchanged device on the regrouped bus keeps its poller");
        foreach (var (id, polls) in pollsBefore)
            Assert.That(before[id].Polls, Is.GreaterThanOrEqualTo(polls), $"the counters of {id} go on from where they were");
        Assert.That(_masters.Links.Count(l => l.Id == "tcp://127.0.0.1:5020"), Is.EqualTo(1), "the shared endpoint's master was not reopened");

        await host.StopAsync();
    }

    [Test]
    public async Task An_invalid_local_file_is_refused_with_every_key_named_and_the_running_devices_keep_polling()
    {
        WriteConfig(Device("mtr-1", 1));
        var transport = new FakeUplinkTransport();
        using var host = Build(transport);
        await host.StartAsync();
        var session = await transport.NextSessionAsync();
        var acquisition = host.Services.GetRequiredService<AcquisitionService>();
        var poller = acquisition.Pollers.Single();

        WriteConfig(Device("mtr-1", 0), Device("mtr-2", 1, profile: "no-such-model"));

        var reported = await NextReportedAsync(session, r => r.LastLocal is not null);
        Assert.That(reported.LastLocal!.Status, Is.EqualTo(ConfigurationStatus.Refused));
        Assert.That(reported.LastLocal.Errors, Has.Some.StartsWith("Devices:0:Unit is 0"));
        Assert.That(reported.LastLocal.Errors, Has.Some.StartsWith("Devices:1:Profile 'no-such-model' is not a known hardware profile"));
        Assert.That(reported.Devices.Select(d => d.Id), Is.EqualTo(new[] { "mtr-1" }));
        var polls = poller.Polls;
        await Wait.UntilAsync(() => poller.Polls > polls + 2, "the running device keeps polling");
        Assert.That(acquisition.Pollers.Single(), Is.SameAs(poller));

        File.WriteAllText(_configFile, "{ \"Devices\": [ { \"Id\": ");
        reported = await NextReportedAsync(session, r => r.LastLocal!.Errors.Any(e => e.Contains("gateway.json", StringComparison.Ordinal)));
        Assert.That(reported.LastLocal!.Status, Is.EqualTo(ConfigurationStatus.Refused), "a half-written file is refused, not read as no devices");
        Assert.That(acquisition.Pollers.Single(), Is.SameAs(poller));

        await host.StopAsync();
    }

    [Test]
    public async Task A_desired_configuration_from_the_fleet_is_applied_reported_refused_when_invalid_and_kept_across_a_restart_without_network()
    {
        WriteConfig(Device("mtr-1", 1));
        await using var broker = await MqttBroker.StartAsync();
        await using var fleet = await TwinFleet.ConnectAsync(broker.Port);
        var data = _directory.File("gateway.db");

        using (var host = Build(transport: null, brokerPort: broker.Port))
        {
            await host.StartAsync();
            var first = await fleet.NextReportedAsync(r => r.SourceId == GatewayId);
            Assert.That((first.Origin, first.AppliedVersion, first.Devices.Single().Id), Is.EqualTo((ConfigurationOrigin.Local, (long?)null, "mtr-1")));

            await fleet.PublishDesiredAsync(GatewayId, Desired(1,
                """[{"id":"rs485-1","kind":"rtu-over-tcp","endpoint":"tcp://127.0.0.1:4001"}]""",
                """[{"id":"mtr-9","profile":"fleet-meter","bus":"rs485-1","unit":9,"pollInterval":"50ms"},{"id":"mtr-1","profile":"test-meter","endpoint":"tcp://127.0.0.1:5020","pollInterval":"50ms"}]""",
                TestProfiles.MeterYaml.Replace("model: test-meter", "model: fleet-meter", StringComparison.Ordinal)));

            var applied = await fleet.NextReportedAsync(r => r.LastDesired?.Version == 1);
            Assert.That(applied.LastDesired!.Status, Is.EqualTo(ConfigurationStatus.Applied), string.Join("; ", applied.LastDesired.Errors));
            Assert.That((applied.Origin, applied.AppliedVersion), Is.EqualTo((ConfigurationOrigin.Fleet, (long?)1)));
            Assert.That(applied.Devices.Select(d => (d.Id, d.Model, d.Bus)), Is.EquivalentTo(new[] { ("mtr-9", "fleet-meter", "rs485-1"), ("mtr-1", "test-meter", "tcp://127.0.0.1:5020") }));
            var acquisition = host.Services.GetRequiredService<AcquisitionService>();
            await Wait.UntilAsync(() => acquisition.Pollers.All(p => p.Polls >= 2), "the fleet's devices are polled");
            var pollers = acquisition.Pollers.ToList();

            await fleet.PublishDesiredAsync(GatewayId, Desired(2, "[]", """[{"id":"mtr-1","profile":"gone-meter","endpoint":"tcp://127.0.0.1:5020","unit":300}]"""));
            var refused = await fleet.NextReportedAsync(r => r.LastDesired?.Version == 2);
            Assert.That(refused.LastDesired!.Status, Is.EqualTo(ConfigurationStatus.Refused));
            Assert.That(refused.LastDesired.Errors, Has.Some.StartsWith("Devices:0:Profile 'gone-meter' is not a known hardware profile"));
            Assert.That(refused.LastDesired.Errors, Has.Some.StartsWith("Devices:0:Unit is 300"));
            Assert.That(refused.AppliedVersion, Is.EqualTo(1), "version 1 keeps running");
            Assert.That(acquisition.Pollers, Is.EqualTo(pollers));

            await fleet.PublishDesiredAsync(GatewayId, """{"version":3,"updatedAt":"yesterday","configuration":null}"""u8.ToArray());
            var malformed = await fleet.NextReportedAsync(r => r.LastDesired?.Version == 3);
            Assert.That(malformed.LastDesired!.Errors.Single(), Does.StartWith($"civic/v1/{GatewayId}/desired: expected a desired state as JSON"));

            await host.StopAsync();
        }

        await broker.StopAsync();
        using (var restarted = Build(transport: new FakeUplinkTransport { FailNext = int.MaxValue }, brokerPort: broker.Port))
        {
            await restarted.StartAsync();
            var twin = restarted.Services.GetRequiredService<TwinService>();
            Assert.That((twin.Origin, twin.AppliedVersion), Is.EqualTo((ConfigurationOrigin.Fleet, (long?)1)));
            Assert.That(restarted.Services.GetRequiredService<AcquisitionService>().Pollers.Select(p => p.DeviceId), Is.EquivalentTo(new[] { "mtr-9", "mtr-1" }));
            await restarted.StopAsync();
        }

        Assert.That(File.Exists(data), Is.True);
    }

    [Test]
    public async Task While_the_fleet_configuration_applies_a_valid_local_change_is_superseded_until_the_fleet_withdraws_its_own()
    {
        WriteConfig(Device("mtr-1", 1));
        var transport = new FakeUplinkTransport();
        using var host = Build(transport);
        await host.StartAsync();
        var session = await transport.NextSessionAsync();
        Assert.That(session.Subscriptions, Does.Contain(Topics.Desired(GatewayId)));

        await session.DeliverAsync(Topics.Desired(GatewayId), JsonSerializer.SerializeToUtf8Bytes(
            Desired(4, "[]", """[{"id":"mtr-7","profile":"test-meter","endpoint":"tcp://127.0.0.1:5027"}]"""), ContractsJson.Default.DesiredState));
        await NextReportedAsync(session, r => r.AppliedVersion == 4);

        WriteConfig(Device("mtr-1", 1), Device("mtr-2", 2));
        var superseded = await NextReportedAsync(session, r => r.LastLocal is not null);
        Assert.That(superseded.LastLocal!.Status, Is.EqualTo(ConfigurationStatus.Superseded));
        Assert.That(superseded.Devices.Single().Id, Is.EqualTo("mtr-7"));

        await session.DeliverAsync(Topics.Desired(GatewayId), JsonSerializer.SerializeToUtf8Bytes(new DesiredState(5, DateTimeOffset.UtcNow, null), ContractsJson.Default.DesiredState));
        var withdrawn = await NextReportedAsync(session, r => r.LastDesired?.Version == 5);
        Assert.That((withdrawn.Origin, withdrawn.AppliedVersion), Is.EqualTo((ConfigurationOrigin.Local, (long?)null)));
        Assert.That(withdrawn.Devices.Select(d => d.Id), Is.EqualTo(new[] { "mtr-1", "mtr-2" }), "the local file as it is now");
        Assert.That(host.Services.GetRequiredService<DesiredStateStore>().Load(out _), Is.Null, "a restart starts with the local file");

        await host.StopAsync();
    }

    private static async Task<ReportedState> NextReportedAsync(FakeUplinkSession session, Func<ReportedState, bool> condition)
    {
        while (true)
        {
            var message = await session.NextMessageAsync(Topics.Reported(GatewayId));
            Assert.That(message.Retain, Is.True);
            var state = JsonSerializer.Deserialize(message.Payload, ContractsJson.Default.ReportedState)!;
            if (condition(state))
                return state;
        }
    }

    private static DesiredState Desired(long version, string buses, string devices, params string[] profiles) => new(
        version,
        DateTimeOffset.UtcNow,
        new DesiredConfiguration(
            JsonSerializer.Deserialize<List<JsonElement>>(buses)!,
            JsonSerializer.Deserialize<List<JsonElement>>(devices)!,
            profiles));

    private static Dictionary<string, object> Device(string id, int unit, string endpoint = "tcp://127.0.0.1:5020", string profile = TestProfiles.MeterModel) => new()
    {
        ["Id"] = id,
        ["Profile"] = profile,
        ["Endpoint"] = endpoint,
        ["Unit"] = unit,
        ["PollInterval"] = "50ms",
    };

    private void WriteConfig(params Dictionary<string, object>[] devices)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["Devices"] = devices });

        // Written aside and moved into place, as editors and deployment tools do.
        var temporary = _configFile + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, _configFile, overwrite: true);
    }

    private IHost Build(FakeUplinkTransport? transport, int brokerPort = 1)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Id"] = GatewayId,
            ["Gateway:DataPath"] = _directory.File("gateway.db"),
            ["Gateway:ProfilesPath"] = _directory.Path,
            ["Gateway:Http:Enabled"] = "false",
            ["Uplink:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Uplink:ReconnectDelay"] = "50ms",
            ["Uplink:MaxReconnectDelay"] = "200ms",
        });
        builder.Configuration.AddGatewaySources(["--config", _configFile], _directory.Path);
        builder.Services.AddSingleton<IModbusMasterFactory>(_masters);
        if (transport is not null)
            builder.Services.AddSingleton<IUplinkTransport>(transport);
        builder.Services.AddCivicEdgeGateway(builder.Configuration, TextWriter.Null);
        if (Environment.GetEnvironmentVariable("TWIN_DEBUG") is not null)
            builder.Logging.AddSimpleConsole();
        return builder.Build();
    }
}
