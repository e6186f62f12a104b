using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Health;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Gateway.Acquisition;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Health;

/// <summary>
/// A full disk is the health report's business: the fleet and the installer see the condition, since when, the error
/// and how many readings wait in memory, and see it clear once the disk takes writes again.
/// </summary>
[Category("Integration")]
public sealed class DiskConditionReportTests
{
    private TempDirectory _directory = null!;
    private FaultyDisk _disk = null!;
    private IHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory();
        _disk = new FaultyDisk();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(GatewayConfigurations.Valid(TestProfiles.WriteMeter(_directory), _directory.File("gateway.db"),
            ("Devices:0:PollInterval", "20ms")));
        builder.Services.AddSingleton<IDatabaseFiles>(_disk);
        builder.Services.AddSingleton<IModbusMasterFactory>(new FakeModbusMasterFactory());
        builder.Services.AddSingleton<IUplinkTransport>(new FakeUplinkTransport { FailNext = int.MaxValue });
        builder.Services.AddCivicEdgeGateway(builder.Configuration, TextWriter.Null);
        _host = builder.Build();
        await _host.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        _disk.FreeBytes = long.MaxValue;
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task A_full_disk_is_reported_with_the_readings_held_in_memory_and_clears_when_writes_succeed_again()
    {
        var health = _host.Services.GetRequiredService<HealthMonitor>();
        var outbox = _host.Services.GetRequiredService<Outbox>();
        await Wait.UntilAsync(() => outbox.Status(Streams.Telemetry).Depth > 0, "the first readings stored");
        Assert.That(health.Report().Disk.Condition, Is.EqualTo(DiskCondition.Healthy));

        _disk.FreeBytes = 0;
        // Report by exception sends nothing while the meter's values stand still, so an event is what meets the full disk.
        var events = _host.Services.GetRequiredService<ChannelWriter<DeviceEvent>>();
        await events.WriteAsync(new DeviceEvent("mtr-test-01", DateTimeOffset.UtcNow, "door_open", EventState.Raised, EventSeverity.Major, "Cabinet door open"));
        await Wait.UntilAsync(() => health.Report().Disk is { Condition: DiskCondition.DiskFull, Buffered: > 0 }, "the full disk reported with readings held in memory");
        var full = health.Report().Disk;
        Assert.That(full.Since, Is.Not.Null);
        Assert.That(full.LastError, Does.Contain("No space left on device"));

        _disk.FreeBytes = long.MaxValue;
        await Wait.UntilAsync(() => health.Report().Disk is { Condition: DiskCondition.Healthy, Buffered: 0 }, "writes succeed again and the memory queue is stored");
    }
}
