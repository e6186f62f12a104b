using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Hosting;

/// <summary>The whole runtime as the host composes it, with the field bus and the fleet link faked at their seams.</summary>
[Category("Integration")]
public sealed class GatewayHostTests
{
    private TempDirectory _directory = null!;
    private FakeModbusMasterFactory _masters = null!;
    private FakeUplinkTransport _transport = null!;
    private StringWriter _stdout = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _masters = new FakeModbusMasterFactory();
        _transport = new FakeUplinkTransport();
        _stdout = new StringWriter();
    }

    [TearDown]
    public void TearDown()
    {
        _stdout.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task The_gateway_announces_readiness_polls_its_devices_and_deletes_readings_only_once_the_fleet_persisted_them()
    {
        var profiles = TestProfiles.WriteMeter(_directory);
        var data = _directory.File("gateway.db");
        using var host = Build(GatewayConfigurations.Valid(profiles, data,
            ("Devices:0:PollInterval", "00:00:00.050"),
            ("Devices:1:Id", "mtr-test-02"), ("Devices:1:Profile", TestProfiles.MeterModel),
            ("Devices:1:Endpoint", "tcp://127.0.0.1:5020"), ("Devices:1:Unit", "2"), ("Devices:1:PollInterval", "00:00:00.050")));

        await host.StartAsync();
        Assert.That(_stdout.ToString(), Is.EqualTo("civicedge-gateway ready id=gw-test-01 devices=2" + Environment.NewLine));
        Assert.That(_masters.Masters, Has.Count.EqualTo(1), "both devices sit behind one endpoint and share its master");
        var master = _masters.Masters.Values.Single();
        master.Set(RegisterTable.InputRegisters, 0, 229.5, RegisterDataType.Float32);

        var session = await _transport.NextSessionAsync();
        var batch = await session.NextPublishedAsync();
        Assert.That(batch.Source, Is.EqualTo("gw-test-01"));
        Assert.That(batch.Records.Select(r => r.DeviceId).Distinct(), Is.SubsetOf(new[] { "mtr-test-01", "mtr-test-02" }));
        var outbox = host.Services.GetRequiredService<Outbox>();
        Assert.That(outbox.Peek(Streams.Telemetry, 0, 1000).Select(r => r.Seq), Is.SupersetOf(batch.Records.Select(r => r.Seq)),
            "published but not yet acknowledged, so still in the outbox");

        session.Ack(batch);
        await Wait.UntilAsync(
            () => !outbox.Peek(Streams.Telemetry, 0, 1000).Any(r => r.Seq <= batch.Records[^1].Seq),
            "the acknowledged batch leaves the outbox");
        await Wait.UntilAsync(
            () => host.Services.GetRequiredService<AcquisitionService>().Pollers.All(p => p.Polls >= 2),
            "both devices are polled repeatedly");

        await host.StopAsync();
        Assert.That(session.ClosedCleanly, Is.True, "the offline state is announced on shutdown");
    }

    [Test]
    public async Task Readings_taken_before_shutdown_are_in_the_outbox_after_it()
    {
        var profiles = TestProfiles.WriteMeter(_directory);
        var data = _directory.File("gateway.db");
        _transport.FailNext = int.MaxValue;
        using (var host = Build(GatewayConfigurations.Valid(profiles, data, ("Devices:0:PollInterval", "00:00:00.020"))))
        {
            await host.StartAsync();
            var master = _masters.Masters.Values.Single();
            var live = host.Services.GetRequiredService<Outbox>();
            var volts = 220.0;
            // Only a value that moves is reported, so the voltage moves while the gateway runs.
            await Wait.UntilAsync(
                () =>
                {
                    master.Set(RegisterTable.InputRegisters, 0, volts++, RegisterDataType.Float32);
                    return live.Status(Streams.Telemetry).LastSeq >= 3;
                },
                "a few readings");
            await host.StopAsync();
        }

        using var outbox = new Outbox(data);
        var status = outbox.Status(Streams.Telemetry);
        Assert.That(status.Depth, Is.EqualTo(status.LastSeq).And.GreaterThanOrEqualTo(3), "every reading numbered is still there, none delivered");
    }

    [Test]
    public async Task An_event_from_any_producer_is_stored_and_delivered_first_and_the_status_objects_report_it()
    {
        var profiles = TestProfiles.WriteMeter(_directory);
        using var host = Build(GatewayConfigurations.Valid(profiles, _directory.File("gateway.db"), ("Devices:0:PollInterval", "1h")));
        await host.StartAsync();
        var session = await _transport.NextSessionAsync();

        await host.Services.GetRequiredService<System.Threading.Channels.ChannelWriter<DeviceEvent>>()
            .WriteAsync(new DeviceEvent("mtr-test-01", TestReadings.Start, "door_open", EventState.Occurred, EventSeverity.Warning, "Cabinet door opened"));
        var events = await session.NextEventsAsync();
        Assert.That((events.Source, events.Stream, events.Records.Single().Code), Is.EqualTo(("gw-test-01", Streams.Events, "door_open")));

        var uplink = host.Services.GetRequiredService<UplinkMonitor>().Snapshot();
        Assert.That(uplink.Connected, Is.True);
        Assert.That(uplink.Streams.Select(stream => stream.Stream), Is.EqualTo(new[] { Streams.Events, Streams.Billing, Streams.Telemetry }));
        // The delivery counts a batch as sent once the session has taken it, which the test may see first.
        await Wait.UntilAsync(() => host.Services.GetRequiredService<UplinkMonitor>().Snapshot().Streams[0].Sent == 1, "the event is counted as sent");
        session.Ack(events);
        await Wait.UntilAsync(() => host.Services.GetRequiredService<UplinkMonitor>().Snapshot().Streams[0] is { Acknowledged: 1, Backlog: 0 }, "the event is acknowledged");
        Assert.That(host.Services.GetRequiredService<StorageHealth>().Snapshot().Condition, Is.EqualTo(StorageCondition.Healthy));
        await host.StopAsync();
    }

    [Test]
    public void A_bad_outbox_setting_fails_at_start_up_naming_the_key()
    {
        var problems = GatewayConfigurations.Problems(GatewayConfigurations.Valid(TestProfiles.WriteMeter(_directory), _directory.File("gateway.db"),
            ("Gateway:Outbox:MaxRecords", "10"), ("Gateway:Outbox:RetryDelay", "soon")));

        Assert.That(problems, Has.Some.StartsWith("Gateway:Outbox:RetryDelay is 'soon'; expected a duration"));
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IModbusMasterFactory>(_masters);
        builder.Services.AddSingleton<IUplinkTransport>(_transport);
        builder.Services.AddCivicEdgeGateway(builder.Configuration, _stdout);
        return builder.Build();
    }
}
