using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using static CivicEdge.Gateway.Tests.Support.GatewayConfigurations;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class MeterLinePlanTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private IReadOnlyList<string> Problems(params (string Key, string? Value)[] settings) =>
        GatewayConfigurations.Problems(Valid(RepositoryProfiles.Directory, _directory.File("gateway.db"), [("Devices:0:Endpoint", null), .. settings]));

    [Test]
    public void Three_meter_lines_on_serial_ports_and_a_converter_pass_validation_with_their_defaults()
    {
        var problems = Problems(
            ("Buses:0:Id", "mbus-1"), ("Buses:0:Kind", "mbus"), ("Buses:0:Path", "/dev/ttyUSB0"),
            ("Buses:1:Id", "water"), ("Buses:1:Kind", "cjt188"), ("Buses:1:Endpoint", "tcp://192.0.2.40:4001"),
            ("Buses:2:Id", "power"), ("Buses:2:Kind", "dlt645"), ("Buses:2:Path", "/dev/ttyUSB1"), ("Buses:2:Baud", "1200"),
            ("Devices:0:Profile", "mbus-heat-meter"), ("Devices:0:Bus", "mbus-1"), ("Devices:0:Address", "5"),
            ("Devices:1:Id", "heat-2"), ("Devices:1:Profile", "mbus-heat-meter"), ("Devices:1:Bus", "mbus-1"), ("Devices:1:Address", "66660205"),
            ("Devices:2:Id", "water-1"), ("Devices:2:Profile", "cjt188-water-meter"), ("Devices:2:Bus", "water"), ("Devices:2:Address", "20240000001234"),
            ("Devices:3:Id", "power-1"), ("Devices:3:Profile", "dlt645-2007-meter"), ("Devices:3:Bus", "power"), ("Devices:3:Address", "000012345678"),
            ("Devices:4:Id", "power-2"), ("Devices:4:Profile", "dlt645-1997-meter"), ("Devices:4:Bus", "power"), ("Devices:4:Address", "000012345679"));

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void A_meter_line_takes_2400_8E1_unless_it_says_otherwise()
    {
        var options = new DevicesOptions
        {
            Buses = { new BusOptions { Id = "mbus-1", Kind = "mbus", Path = "/dev/ttyUSB0" }, new BusOptions { Id = "conv", Kind = "dlt645", Endpoint = "tcp://192.0.2.1:4001" } },
            Devices =
            {
                new DeviceOptions { Id = "heat-1", Profile = "mbus-heat-meter", Bus = "mbus-1", Address = "250" },
                new DeviceOptions { Id = "power-1", Profile = "dlt645-2007-meter", Bus = "conv", Address = "000012345678" },
            },
        };

        var plan = BusPlan.Resolve(options);

        Assert.That(plan[0].Link, Is.EqualTo(new ModbusLink("mbus-1", BusKind.MBus, null, new SerialLine("/dev/ttyUSB0", 2400, 'E', 8, 1))));
        Assert.That((plan[1].Link.Kind, plan[1].Link.Endpoint, plan[1].Link.LineBaud, plan[1].Link.IsHalfDuplex), Is.EqualTo((BusKind.Dlt645, new DeviceEndpoint("192.0.2.1", 4001), (int?)2400, true)));
        Assert.That(plan[0].Link.ToString(), Is.EqualTo("mbus-1 (mbus /dev/ttyUSB0 2400 8E1)"));
    }

    [TestCase("mbus", "251", "Devices:0:Address '251' is not a meter address; expected an M-Bus primary address 0..250 or an 8-digit secondary address such as 12345678.")]
    [TestCase("mbus", null, "Devices:0:Address is missing; expected an M-Bus primary address 0..250 or an 8-digit secondary address such as 12345678.")]
    [TestCase("cjt188", "1234", "Devices:0:Address '1234' is not a meter address; expected the 14-digit CJ/T 188 meter address as printed on the meter, e.g. 20240000001234.")]
    [TestCase("dlt645", "AAAAAAAAAAAA", "Devices:0:Address 'AAAAAAAAAAAA' is not a meter address; expected the 12-digit DL/T 645 meter address as printed on the meter, e.g. 000012345678.")]
    public void A_meter_address_that_does_not_fit_its_line_is_refused_naming_the_key(string kind, string? address, string expected)
    {
        var profile = kind switch { "mbus" => "mbus-heat-meter", "cjt188" => "cjt188-water-meter", _ => "dlt645-2007-meter" };

        var problems = Problems(("Buses:0:Id", "line"), ("Buses:0:Kind", kind), ("Buses:0:Path", "/dev/ttyUSB0"),
            ("Devices:0:Profile", profile), ("Devices:0:Bus", "line"), ("Devices:0:Address", address));

        Assert.That(problems, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Two_meters_with_one_address_on_a_line_are_refused()
    {
        var problems = Problems(("Buses:0:Id", "line"), ("Buses:0:Kind", "mbus"), ("Buses:0:Path", "/dev/ttyUSB0"),
            ("Devices:0:Profile", "mbus-heat-meter"), ("Devices:0:Bus", "line"), ("Devices:0:Address", "5"),
            ("Devices:1:Id", "heat-2"), ("Devices:1:Profile", "mbus-heat-meter"), ("Devices:1:Bus", "line"), ("Devices:1:Address", "005"));

        Assert.That(problems, Is.EqualTo(new[] { "Devices:1:Address 5 is already used on bus 'line' by Devices:0; expected every meter on a line to have its own address." }));
    }

    [Test]
    public void A_profile_of_another_protocol_than_its_bus_is_refused()
    {
        var problems = Problems(("Buses:0:Id", "line"), ("Buses:0:Kind", "cjt188"), ("Buses:0:Path", "/dev/ttyUSB0"),
            ("Devices:0:Profile", "dlt645-2007-meter"), ("Devices:0:Bus", "line"), ("Devices:0:Address", "20240000001234"));

        Assert.That(problems, Is.EqualTo(new[] { "Devices:0:Profile 'dlt645-2007-meter' is a dlt645 profile; expected a cjt188 profile on the cjt188 bus 'line'." }));
    }

    [Test]
    public void A_meter_profile_on_a_modbus_bus_and_an_address_on_a_modbus_device_are_refused()
    {
        var problems = Problems(("Buses:0:Id", "rs485"), ("Buses:0:Kind", "rtu"), ("Buses:0:Path", "/dev/ttyUSB0"),
            ("Devices:0:Profile", "mbus-heat-meter"), ("Devices:0:Bus", "rs485"),
            ("Devices:1:Id", "m-2"), ("Devices:1:Profile", "generic-heat-meter"), ("Devices:1:Bus", "rs485"), ("Devices:1:Unit", "2"), ("Devices:1:Address", "5"));

        Assert.That(problems, Is.EqualTo(new[]
        {
            "Devices:1:Address is set on a device of the Modbus bus 'rs485'; expected Unit for a Modbus device (Address is for meters on an mbus, cjt188 or dlt645 bus).",
            "Devices:0:Profile 'mbus-heat-meter' is a mbus profile; expected a modbus profile on the rtu bus 'rs485'.",
        }));
    }

    [TestCase(null, null, "neither Path nor Endpoint")]
    [TestCase("/dev/ttyUSB0", "tcp://192.0.2.1:4001", "both Path and Endpoint")]
    public void A_meter_line_needs_a_serial_port_or_a_converter(string? path, string? endpoint, string found)
    {
        var problems = Problems(("Buses:0:Id", "line"), ("Buses:0:Kind", "mbus"), ("Buses:0:Path", path), ("Buses:0:Endpoint", endpoint),
            ("Devices:0:Profile", "mbus-heat-meter"), ("Devices:0:Bus", "line"), ("Devices:0:Address", "5"));

        Assert.That(problems, Has.Some.EqualTo($"Buses:0: a mbus bus has {found}; expected Path for a local serial port (e.g. /dev/ttyUSB0) or Endpoint for a transparent serial-to-TCP converter (tcp://host:port (e.g. tcp://192.0.2.10:502))."));
    }
}
