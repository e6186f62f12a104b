namespace CivicEdge.Simulators.Demo;

/// <summary>
/// What the demo simulates: a meter room whose energy, water and heat meters sit behind one Modbus TCP gateway; a
/// street pole whose environment transmitters share an RS-485 bus reached through a serial-to-Ethernet converter; a
/// street of eight poles running the pole controller firmware on a second RS-485 bus behind its own converter; plus the
/// cabinet door, a pulse water meter, the lamp relay and the dimmer on the edge gateway's own pins.
/// </summary>
public static class DemoStreet
{
    public const string EnergyMeter = "mtr-demo-01";
    public const string WaterMeter = "wtr-demo-01";
    public const string HeatMeter = "heat-demo-01";
    public const string Climate = "env-th-demo-01";
    public const string Particulates = "env-pm-demo-01";
    public const string Noise = "env-noise-demo-01";
    public const string Wind = "env-wind-demo-01";
    public const string Pole = "pole-demo-01";
    public const string PulseWaterMeter = "wtr-pulse-demo-01";

    /// <summary>How many poles run the pole controller firmware along the street.</summary>
    public const int StreetPoles = 8;

    /// <summary>The lamp of the street's first pole (P-0412, at the meter room), which the demo's commands address.</summary>
    public const string Lamp = "lamp-demo-01";

    /// <summary>
    /// What happens on the street, after its bus starts (civicsim <c>firmware pole --script</c>): the first pole's lamp
    /// fails two minutes in and is repaired at four; the fourth pole's driver overheats from three minutes in to six.
    /// The door and tilt of the firmware are not on the SLC-1 map a gateway reads, so the demo's door is the cabinet's.
    /// </summary>
    public const string StreetScript = "2m lamp-fail @1; 4m lamp-repair @1; 3m temperature 95 @4; 6m temperature 45 @4";

    /// <summary>The meter room: unit and profile of each meter on the Modbus TCP bus.</summary>
    public static IReadOnlyList<(string Id, int Unit, string Profile)> MeterRoom { get; } =
    [
        (EnergyMeter, 1, "eastron-sdm630"),
        (WaterMeter, 2, "generic-water-meter"),
        (HeatMeter, 3, "generic-heat-meter"),
    ];

    /// <summary>The street's RS-485 bus: lamp-demo-01 to 08, the firmware poles at units 1 to 8 (SLC-1 map).</summary>
    public static IReadOnlyList<(string Id, int Unit, string Profile)> Street { get; } =
        [.. Enumerable.Range(1, StreetPoles).Select(unit => ($"lamp-demo-{unit:D2}", unit, "civicedge-slc1"))];

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
        (Climate, 2, "rs485-temperature-humidity"),
        (Particulates, 3, "rs485-pm"),
        (Noise, 4, "rs485-noise"),
        (Wind, 5, "rs485-wind-speed"),
    ];
}
