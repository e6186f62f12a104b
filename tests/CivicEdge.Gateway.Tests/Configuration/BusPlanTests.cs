using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using static CivicEdge.Gateway.Tests.Support.GatewayConfigurations;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class BusPlanTests
{
    private TempDirectory _directory = null!;
    private string _profiles = null!;
    private string _data = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _profiles = Directory.CreateDirectory(_directory.File("profiles")).FullName;
        File.WriteAllText(Path.Combine(_profiles, "test-meter.yaml"), TestProfiles.MeterYaml);
        _data = _directory.File("gateway.db");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Devices_with_only_an_endpoint_get_one_implicit_tcp_bus_per_endpoint()
    {
        var plan = BusPlan.Resolve(Options(
            ("Devices:0:Id", "a"), ("Devices:0:Endpoint", "tcp://192.0.2.1:502"),
            ("Devices:1:Id", "b"), ("Devices:1:Endpoint", "tcp://192.0.2.2"),
            ("Devices:2:Id", "c"), ("Devices:2:Endpoint", "tcp://192.0.2.1:502"), ("Devices:2:Unit", "2")));

        Assert.That(plan.Select(b => (b.Link.Id, b.Link.Kind, b.Link.IsHalfDuplex)), Is.EqualTo(new[]
        {
            ("tcp://192.0.2.1:502", BusKind.Tcp, false),
            ("tcp://192.0.2.2:502", BusKind.Tcp, false),
        }));
        Assert.That(plan[0].Devices.Select(d => d.Id), Is.EqualTo(new[] { "a", "c" }));
    }

    [Test]
    public void Devices_naming_a_bus_share_it_with_its_settings()
    {
        var plan = BusPlan.Resolve(Options(
            ("Buses:0:Id", "rs485-1"), ("Buses:0:Kind", "rtu"), ("Buses:0:Path", "/dev/ttyUSB0"), ("Buses:0:Baud", "19200"),
            ("Buses:0:Parity", "n"), ("Buses:0:StopBits", "2"), ("Buses:0:ResponseTimeout", "300ms"), ("Buses:0:Retries", "0"),
            ("Buses:0:TurnaroundDelay", "5ms"),
            ("Buses:1:Id", "converter"), ("Buses:1:Kind", "RTU-over-TCP"), ("Buses:1:Endpoint", "tcp://192.0.2.30:4001"),
            ("Devices:0:Id", "lamp-1"), ("Devices:0:Bus", "rs485-1"), ("Devices:0:Unit", "1"), ("Devices:0:Priority", "high"),
            ("Devices:1:Id", "env-1"), ("Devices:1:Bus", "converter"), ("Devices:1:Unit", "1"),
            ("Devices:2:Id", "lamp-2"), ("Devices:2:Bus", "rs485-1"), ("Devices:2:Unit", "2"), ("Devices:2:Priority", "Low")));

        Assert.That(plan, Has.Count.EqualTo(2));
        Assert.That(plan[0].Link, Is.EqualTo(new ModbusLink("rs485-1", BusKind.Rtu, null, new SerialLine("/dev/ttyUSB0", 19200, 'N', 8, 2),
            TimeSpan.FromMilliseconds(300), 0, TimeSpan.FromMilliseconds(5))));
        Assert.That(plan[0].Devices.Select(d => d.Id), Is.EqualTo(new[] { "lamp-1", "lamp-2" }));
        Assert.That((plan[1].Link.Kind, plan[1].Link.Endpoint, plan[1].Link.IsHalfDuplex, plan[1].Link.LineBaud),
            Is.EqualTo((BusKind.RtuOverTcp, new DeviceEndpoint("192.0.2.30", 4001), true, (int?)9600)));
    }

    [TestCase("high", DevicePriority.High)]
    [TestCase("NORMAL", DevicePriority.Normal)]
    [TestCase("low", DevicePriority.Low)]
    [TestCase("", DevicePriority.Normal)]
    public void Priorities_are_read_ignoring_case(string text, DevicePriority expected)
    {
        Assert.That(BusPlan.TryParsePriority(text, out var priority), Is.True);
        Assert.That(priority, Is.EqualTo(expected));
    }

    [Test]
    public void A_valid_bus_configuration_passes_validation()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("Devices:0:Endpoint", null), ("Devices:0:Bus", "rs485-1"),
            ("Buses:0:Id", "rs485-1"), ("Buses:0:Kind", "rtu"), ("Buses:0:Path", "/dev/ttyUSB0")));

        Assert.That(problems, Is.Empty);
    }

    [TestCase("Buses:0:Kind", "rs232", "Buses:0:Kind is 'rs232'; expected tcp, rtu, rtu-over-tcp, mbus, cjt188 or dlt645.")]
    [TestCase("Buses:0:Path", "", "Buses:0:Path is missing; expected the serial port of the rtu bus")]
    [TestCase("Buses:0:Baud", "0", "Buses:0:Baud is 0; expected a positive bit rate")]
    [TestCase("Buses:0:Parity", "M", "Buses:0:Parity is 'M'; expected N, E or O.")]
    [TestCase("Buses:0:DataBits", "7", "Buses:0:DataBits is 7; expected 8 (RTU sends 8-bit bytes).")]
    [TestCase("Buses:0:StopBits", "3", "Buses:0:StopBits is 3; expected 1 or 2.")]
    [TestCase("Buses:0:ResponseTimeout", "0s", "Buses:0:ResponseTimeout is 00:00:00; expected a positive duration")]
    [TestCase("Buses:0:Retries", "11", "Buses:0:Retries is 11; expected 0..10.")]
    [TestCase("Buses:0:Endpoint", "tcp://192.0.2.1", "Buses:0:Endpoint is set on an rtu bus")]
    [TestCase("Devices:0:Bus", "rs485-9", "Devices:0:Bus 'rs485-9' is not a configured bus; known buses: rs485-1.")]
    [TestCase("Devices:0:Priority", "urgent", "Devices:0:Priority is 'urgent'; expected high, normal or low.")]
    [TestCase("Devices:0:Endpoint", "tcp://192.0.2.1", "Devices:0 has both Bus 'rs485-1' and Endpoint 'tcp://192.0.2.1'")]
    public void A_bad_bus_or_device_key_is_named_with_what_was_expected(string key, string value, string expected)
    {
        var problems = Problems(Valid(_profiles, _data,
            ("Devices:0:Endpoint", null), ("Devices:0:Bus", "rs485-1"),
            ("Buses:0:Id", "rs485-1"), ("Buses:0:Kind", "rtu"), ("Buses:0:Path", "/dev/ttyUSB0"), (key, value)));

        Assert.That(problems, Has.Some.StartsWith(expected));
    }

    [Test]
    public void A_tcp_kind_bus_needs_an_endpoint()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("Devices:0:Endpoint", null), ("Devices:0:Bus", "converter"),
            ("Buses:0:Id", "converter"), ("Buses:0:Kind", "rtu-over-tcp")));

        Assert.That(problems, Has.One.StartsWith("Buses:0:Endpoint '' is not an endpoint; expected tcp://host:port"));
    }

    [Test]
    public void Two_devices_with_one_unit_id_on_a_serial_bus_are_refused()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("Devices:0:Endpoint", null), ("Devices:0:Bus", "rs485-1"), ("Devices:0:Unit", "5"),
            ("Devices:1:Id", "mtr-test-02"), ("Devices:1:Profile", TestProfiles.MeterModel), ("Devices:1:Bus", "rs485-1"), ("Devices:1:Unit", "5"),
            ("Buses:0:Id", "rs485-1"), ("Buses:0:Kind", "rtu"), ("Buses:0:Path", "/dev/ttyUSB0")));

        Assert.That(problems.Single(), Is.EqualTo(
            "Devices:1:Unit 5 is already used on bus 'rs485-1' by Devices:0; expected every device on a serial bus to have its own unit identifier."));
    }

    [Test]
    public void A_device_with_neither_bus_nor_endpoint_is_told_about_both()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("Devices:0:Endpoint", null),
            ("Buses:0:Id", "rs485-1"), ("Buses:0:Kind", "rtu"), ("Buses:0:Path", "/dev/ttyUSB0")));

        Assert.That(problems.Single(), Does.StartWith("Devices:0:Bus is missing; expected the Id of one of the Buses, or an Endpoint tcp://host:port"));
    }

    [Test]
    public void A_misspelt_bus_key_is_named()
    {
        var problems = Problems(Valid(_profiles, _data, ("Buses:0:Baudrate", "9600")));

        Assert.That(problems, Has.Some.StartsWith("Buses:0:Baudrate is not a known key").And.Contain("Buses:0:Baud"));
    }

    private static DevicesOptions Options(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();
        var options = new DevicesOptions();
        StrictBinding.BindDevices(configuration, options);
        return options;
    }
}
