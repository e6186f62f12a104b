using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.EdgeRules;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Acquisition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Twin;

/// <summary>Edge rule sets distributed through the twin's desired state, over a real MQTT broker, to the host as Program.cs composes it.</summary>
[Category("Integration")]
public sealed class RuleSetTwinTests
{
    private const string GatewayId = "gw-rules-twin";

    private const string Devices = """[{"id":"mtr-1","profile":"test-meter","endpoint":"tcp://127.0.0.1:5020","pollInterval":"50ms"}]""";

    private const string HighVoltage = """
        schema: civicedge.rules/v1
        id: meter-high-voltage
        version: 3
        devices:
          meter: { model: test-meter }
        rules:
          - id: high
            when: meter.voltage > 250
            then:
              - raise: { alarm: high_voltage, severity: warning, message: "{meter.voltage} V" }
        """;

    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        TestProfiles.WriteMeter(_directory);
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task A_rule_set_from_the_fleet_runs_without_a_restart_and_a_bad_one_is_refused_with_the_loader_errors_while_the_previous_one_stays()
    {
        await using var broker = await MqttBroker.StartAsync();
        await using var fleet = await TwinFleet.ConnectAsync(broker.Port);
        using var host = Build(broker.Port);
        await host.StartAsync();
        var runner = host.Services.GetRequiredService<RuleRunner>();
        var first = await fleet.NextReportedAsync(r => r.SourceId == GatewayId);
        Assert.That(first.RuleSets, Is.Empty, "no Rules:Files");

        await fleet.PublishDesiredAsync(GatewayId, Desired(1, HighVoltage));
        var applied = await fleet.NextReportedAsync(r => r.LastDesired?.Version == 1);
        Assert.That(applied.LastDesired!.Status, Is.EqualTo(ConfigurationStatus.Applied), string.Join("; ", applied.LastDesired.Errors));
        Assert.That(applied.RuleSets, Is.EqualTo(new[] { "meter-high-voltage@3" }));
        Assert.That(runner.EngineCount, Is.EqualTo(1), "bound to mtr-1, the gateway's test-meter");

        await fleet.PublishDesiredAsync(GatewayId, Desired(2, HighVoltage.Replace("meter.voltage > 250", "meter.volts > 250", StringComparison.Ordinal)));
        var refused = await fleet.NextReportedAsync(r => r.LastDesired?.Version == 2);
        Assert.That(refused.LastDesired!.Status, Is.EqualTo(ConfigurationStatus.Refused));
        Assert.That(refused.LastDesired.Errors.Single(), Does.StartWith("ruleSets[0]:8:").And.Contain("rules[0].when").And.Contain("found 'volts'"));
        Assert.That((refused.AppliedVersion, refused.RuleSets), Is.EqualTo(((long?)1, new[] { "meter-high-voltage@3" })), "version 1 and its rule set keep running");
        Assert.That(runner.EngineCount, Is.EqualTo(1));

        await host.StopAsync();
    }

    private static DesiredState Desired(long version, params string[] ruleSets) => new(
        version,
        DateTimeOffset.UtcNow,
        new DesiredConfiguration([], JsonSerializer.Deserialize<List<JsonElement>>(Devices)!, [], ruleSets));

    private IHost Build(int brokerPort)
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
            ["Devices:0:Id"] = "mtr-1",
            ["Devices:0:Profile"] = TestProfiles.MeterModel,
            ["Devices:0:Endpoint"] = "tcp://127.0.0.1:5020",
            ["Rules:Enabled"] = "true",
        });
        builder.Services.AddSingleton<IModbusMasterFactory>(new FakeModbusMasterFactory());
        builder.Services.AddCivicEdgeGateway(builder.Configuration, TextWriter.Null);
        return builder.Build();
    }
}
