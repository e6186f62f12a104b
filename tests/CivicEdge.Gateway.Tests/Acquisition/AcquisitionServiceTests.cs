using System.Threading.Channels;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class AcquisitionServiceTests
{
    private const string LampYaml = """
        schema: civicedge.profile/v1
        model: test-lamp
        manufacturer: CivicEdge
        protocol: modbus
        points:
          - name: relay
            table: coil
            address: 0
            unit: "1"
          - name: serial_number
            table: holding
            address: 0x100
            type: string
            length: 8
          - name: firmware_version
            table: holding
            address: 0x108
            type: string
            length: 4
        """;

    private TempDirectory _directory = null!;
    private ProfileCatalog _profiles = null!;
    private FakeModbusMasterFactory _masters = null!;
    private CapturingLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        TestProfiles.WriteMeter(_directory);
        File.WriteAllText(_directory.File("test-lamp.yaml"), LampYaml);
        _profiles = ProfileLoader.LoadDirectory(_directory.Path);
        _masters = new FakeModbusMasterFactory();
        _logs = new CapturingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs));
    }

    [TearDown]
    public void TearDown()
    {
        _loggerFactory.Dispose();
        _logs.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Each_bus_gets_one_master_and_one_scheduler_for_its_devices()
    {
        var options = new DevicesOptions
        {
            Buses = { new BusOptions { Id = "rs485-1", Kind = "rtu", Path = "/dev/ttyUSB0" } },
            Devices =
            {
                new DeviceOptions { Id = "lamp-1", Profile = "test-lamp", Bus = "rs485-1", Unit = 1, Priority = "high" },
                new DeviceOptions { Id = "mtr-1", Profile = TestProfiles.MeterModel, Endpoint = "tcp://192.0.2.10:502" },
                new DeviceOptions { Id = "lamp-2", Profile = "test-lamp", Bus = "rs485-1", Unit = 2 },
            },
        };
        await using var service = Service();

        await service.ApplyAsync(Configuration(options), CancellationToken.None);
        await Wait.UntilAsync(() => service.Pollers.All(p => p.Polls >= 1), "a first poll of every device");
        await service.StopAsync(CancellationToken.None);

        Assert.That(_masters.Links.Select(l => (l.Id, l.Kind)), Is.EqualTo(new[] { ("rs485-1", BusKind.Rtu), ("tcp://192.0.2.10:502", BusKind.Tcp) }));
        Assert.That(service.Buses.Select(b => b.Devices.Select(d => d.DeviceId)), Is.EqualTo(new[] { new[] { "lamp-1", "lamp-2" }, new[] { "mtr-1" } }));
        Assert.That(service.Pollers.First().Priority, Is.EqualTo(DevicePriority.High));
        Assert.That(service.Snapshot().Select(c => (c.DeviceId, c.BusId)), Is.EqualTo(new[]
        {
            ("lamp-1", "rs485-1"), ("lamp-2", "rs485-1"), ("mtr-1", "tcp://192.0.2.10:502"),
        }));
    }

    [Test]
    public async Task Text_points_left_out_of_telemetry_are_named_once_per_device_at_start()
    {
        var options = new DevicesOptions
        {
            Devices =
            {
                new DeviceOptions { Id = "lamp-1", Profile = "test-lamp", Endpoint = "tcp://192.0.2.10" },
                new DeviceOptions { Id = "mtr-1", Profile = TestProfiles.MeterModel, Endpoint = "tcp://192.0.2.11" },
            },
        };
        await using var service = Service();

        await service.ApplyAsync(Configuration(options), CancellationToken.None);
        await service.StopAsync(CancellationToken.None);

        Assert.That(_logs.Messages.Where(m => m.Contains("text points", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "Device lamp-1: text points serial_number, firmware_version are left out of telemetry; text points are reported through the device twin",
        }));
    }

    private DeviceConfiguration Configuration(DevicesOptions options)
    {
        var failures = new List<string>();
        var configuration = DeviceConfiguration.TryCreate(options, _profiles, failures);
        Assert.That(failures, Is.Empty);
        return configuration!;
    }

    private AcquisitionService Service() => new(
        _masters,
        new MeterBusFactory(TimeProvider.System, _loggerFactory),
        Channel.CreateUnbounded<DeviceReading>().Writer,
        Channel.CreateUnbounded<DeviceEvent>().Writer,
        new InMemoryAlarmStateStore(),
        new FakeTimeProvider(TestReadings.Start),
        new StoppingLifetime(),
        _loggerFactory);

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Assert.Fail("the acquisition service stopped the application");
    }
}
