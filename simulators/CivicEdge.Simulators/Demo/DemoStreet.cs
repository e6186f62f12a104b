namespace CivicEdge.Simulators.Demo;

/// <summary>
/// What the demo simulates: a meter room whose energy, water and heat meters sit behind one Modbus TCP gateway, and a
/// street pole whose lamp controller and environment transmitters share an RS-485 bus reached through a
/// serial-to-Ethernet converter, plus the cabinet door, a pulse water meter, the lamp relay and the dimmer on the edge
/// gateway's own pins.
/// </summary>
public static class DemoStreet
{
    public const string EnergyMeter = "mtr-demo-01";
    public const string WaterMeter = "wtr-demo-01";
    public const string HeatMeter = "heat-demo-01";
    public const string Lamp = "lamp-demo-01";
    public const string Climate = "env-th-demo-01";
    public const string Particulates = "env-pm-demo-01";
    public const string Noise = "env-noise-demo-01";
    public const string Wind = "env-wind-demo-01";
    public const string Pole = "pole-demo-01";
    public const string PulseWaterMeter = "wtr-pulse-demo-01";

    /// <summary>When the pole's lamp fails and is repaired, after the pole bus starts (civicsim <c>--lamp-failure</c>).</summary>
    public const string LampFailure = "2m..4m";

    /// <summary>The meter room: unit and profile of each meter on the Modbus TCP bus.</summary>
    public static IReadOnlyList<(string Id, int Unit, string Profile)> MeterRoom { get; } =
    [
        (EnergyMeter, 1, "eastron-sdm630"),
        (WaterMeter, 2, "generic-water-meter"),
        (HeatMeter, 3, "generic-heat-meter"),
    ];

    /// <summary>
    /// The meter-protocol room: an M-Bus heat meter, a CJ/T 188 water meter and a DL/T 645 electricity meter, each on a
    /// line of its own behind a transparent converter; with the protocol (civicsim command and gateway bus kind), the
    /// meter's address on its line and its profile.
    /// </summary>
    public static IReadOnlyList<(string Id, string Protocol, string Address, string Profile)> MeterLines { get; } =
    [
        ("heat-mbus-demo-01", "mbus", "5", "mbus-heat-meter"),
        ("wtr-cjt188-demo-01", "cjt188", "20240000001234", "cjt188-water-meter"),
        ("mtr-dlt645-demo-01", "dlt645", "000012345678", "dlt645-2007-meter"),
    ];

    /// <summary>The pole's RS-485 bus: unit and profile of each device.</summary>
    public static IReadOnlyList<(string Id, int Unit, string Profile)> PoleBus { get; } =
    [
        (Lamp, 1, "civicedge-slc1"),
        (Climate, 2, "rs485-temperature-humidity"),
        (Particulates, 3, "rs485-pm"),
        (Noise, 4, "rs485-noise"),
        (Wind, 5, "rs485-wind-speed"),
    ];
}
