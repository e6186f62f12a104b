using System.Threading.Channels;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>Offers' targets looked up among the devices the acquisition polls, on fake masters.</summary>
[Category("Unit")]
[CancelAfter(20_000)]
public sealed class AcquisitionUpdateTargetsTests
{
    private TempDirectory _directory = null!;
    private AcquisitionService _acquisition = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _directory = new TempDirectory();
        File.WriteAllText(_directory.File("test-meter.yaml"), TestProfiles.MeterYaml);
        _acquisition = new AcquisitionService(
            new FakeModbusMasterFactory(), new MeterBusFactory(TimeProvider.System, NullLoggerFactory.Instance),
            Channel.CreateUnbounded<DeviceReading>().Writer, Channel.CreateUnbounded<DeviceEvent>().Writer,
            new InMemoryAlarmStateStore(), TimeProvider.System, new RecordingLifetime(), NullLoggerFactory.Instance);
        var devices = new DevicesOptions
        {
            Buses = { new BusOptions { Id = "rs485-1", Kind = "rtu-over-tcp", Endpoint = "tcp://127.0.0.1:4001" } },
            Devices =
            {
                new DeviceOptions { Id = "pole-0001", Profile = TestProfiles.MeterModel, Bus = "rs485-1", Unit = 7 },
                new DeviceOptions { Id = "pole-0002", Profile = TestProfiles.MeterModel, Bus = "rs485-1", Unit = 8 },
                new DeviceOptions { Id = "meter-tcp", Profile = TestProfiles.MeterModel, Endpoint = "tcp://127.0.0.1:5020" },
            },
        };
        var failures = new List<string>();
        var configuration = DeviceConfiguration.TryCreate(devices, ProfileLoader.LoadDirectory(_directory.Path), failures)
            ?? throw new InvalidOperationException(string.Join("; ", failures));
        await _acquisition.ApplyAsync(configuration, CancellationToken.None);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _acquisition.DisposeAsync();
        _directory.Dispose();
    }

    [Test]
    public void A_device_on_an_rtu_bus_with_an_updatable_profile_is_found_with_its_bus_and_unit()
    {
        var lookup = new AcquisitionUpdateTargets(_acquisition, [TestProfiles.MeterModel]).Find("pole-0002");

        Assert.That(lookup.Refusal, Is.Null);
        Assert.That((lookup.Target!.DeviceId, lookup.Target.BusId, lookup.Target.UnitId), Is.EqualTo(("pole-0002", "rs485-1", (byte)8)));
        Assert.That(lookup.Target.Lane, Is.TypeOf<SchedulerBusLane>());
    }

    [Test]
    public void A_device_not_configured_is_refused_by_its_id()
    {
        var lookup = new AcquisitionUpdateTargets(_acquisition, [TestProfiles.MeterModel]).Find("pole-0404");

        Assert.That(lookup.Target, Is.Null);
        Assert.That(lookup.Refusal, Is.EqualTo("expected 'pole-0404' to be a device configured on this gateway, found none by that id"));
    }

    [Test]
    public void A_device_on_a_modbus_tcp_connection_is_refused_as_not_on_an_rtu_bus()
    {
        var lookup = new AcquisitionUpdateTargets(_acquisition, [TestProfiles.MeterModel]).Find("meter-tcp");

        Assert.That(lookup.Target, Is.Null);
        Assert.That(lookup.Refusal, Does.StartWith("expected device 'meter-tcp' on a Modbus RTU bus, found it on"));
    }

    [Test]
    public void A_device_whose_profile_has_no_update_support_is_refused_naming_the_profile()
    {
        var lookup = new AcquisitionUpdateTargets(_acquisition, ["civicedge-slc1"]).Find("pole-0001");

        Assert.That(lookup.Target, Is.Null);
        Assert.That(lookup.Refusal, Does.Contain("profile with update support (civicedge-slc1)").And.Contain($"found profile '{TestProfiles.MeterModel}'"));
    }
}
