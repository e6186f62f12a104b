using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class RepositoryProfileTests
{
    [Test]
    public void Every_profile_in_the_repository_loads()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(catalog.Profiles.Select(p => p.Model), Does.Contain("eastron-sdm630"));
    }

    [Test]
    public void The_sdm630_profile_follows_the_eastron_input_register_map()
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get("eastron-sdm630");

        // Eastron SDM630 Modbus Protocol, input registers 30001.. (protocol address = register - 30001).
        var expected = new Dictionary<string, (ushort Address, string Unit)>
        {
            ["voltage_l1"] = (0x0000, "V"),
            ["voltage_l2"] = (0x0002, "V"),
            ["voltage_l3"] = (0x0004, "V"),
            ["current_l1"] = (0x0006, "A"),
            ["current_l2"] = (0x0008, "A"),
            ["current_l3"] = (0x000A, "A"),
            ["active_power_l1"] = (0x000C, "W"),
            ["active_power_l2"] = (0x000E, "W"),
            ["active_power_l3"] = (0x0010, "W"),
            ["power_factor_l1"] = (0x001E, "1"),
            ["power_factor_l2"] = (0x0020, "1"),
            ["power_factor_l3"] = (0x0022, "1"),
            ["total_active_power"] = (0x0034, "W"),
            ["frequency"] = (0x0046, "Hz"),
            ["import_active_energy"] = (0x0048, "kWh"),
            ["export_active_energy"] = (0x004A, "kWh"),
            ["total_active_energy"] = (0x0156, "kWh"),
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.Schema, Is.EqualTo(ProfileLoader.SupportedSchema));
            Assert.That(profile.Protocol, Is.EqualTo("modbus"));
            Assert.That(profile.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(profile.Points.ToDictionary(p => p.Name, p => (p.Address, p.Unit)), Is.EquivalentTo(expected));
            Assert.That(profile.Points.Select(p => (p.Table, p.Type, p.Order, p.Scale, p.Offset, p.Writable)).Distinct(),
                Is.EqualTo(new[] { (RegisterTable.InputRegisters, RegisterDataType.Float32, RegisterOrder.ABCD, 1.0, 0.0, false) }));
        }
    }

    [Test]
    public void The_repository_holds_profiles_for_lamps_environment_and_water_and_heat_meters()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(catalog.Profiles.Select(p => p.Model),
            Is.SupersetOf(new[]
            {
                "civicedge-slc1", "rs485-weather-shutter", "rs485-temperature-humidity", "rs485-noise", "rs485-pm", "rs485-wind-speed",
                "rs485-wind-direction", "generic-water-meter", "generic-heat-meter",
            }));
    }

    [Test]
    public void The_lamp_controller_has_a_writable_relay_coil_a_dimming_register_and_status_bits()
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get("civicedge-slc1");
        var points = profile.Points.ToDictionary(p => p.Name);

        Assert.That((points["lamp_relay"].Table, points["lamp_relay"].Writable), Is.EqualTo((RegisterTable.Coils, true)));
        Assert.That((points["dimming_level"].Table, points["dimming_level"].Writable, points["dimming_level"].Max), Is.EqualTo((RegisterTable.HoldingRegisters, true, (double?)100)));
        Assert.That(profile.Points.Where(p => p.Bits is not null).Select(p => p.Address).Distinct(), Has.Exactly(1).Items, "the status bits share one register");
        Assert.That(points.Keys, Is.SupersetOf(new[] { "lamp_current", "lamp_power", "lamp_energy", "lamp_on", "lamp_failure", "power_factor" }));
        Assert.That(points["serial_number"].IsText, Is.True);
    }

    [Test]
    public void The_environment_sensor_reads_tenths_from_holding_register_500_on()
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get("rs485-weather-shutter");
        var points = profile.Points.ToDictionary(p => p.Name);

        Assert.That(profile.Points.Select(p => p.Table).Distinct(), Is.EqualTo(new[] { RegisterTable.HoldingRegisters }), "function code 3 only");
        Assert.That(profile.Points.Min(p => p.Address), Is.EqualTo(0x01F4));
        Assert.That(new[] { "wind_speed", "humidity", "temperature", "noise" }.Select(n => points[n].Scale), Has.All.EqualTo(0.1));
        Assert.That(points["temperature"].Type, Is.EqualTo(RegisterDataType.Int16), "temperatures below zero are two's complement");
        Assert.That(points.Keys, Is.SupersetOf(new[] { "pm2_5", "pm10", "wind_direction" }));
    }

    [TestCase("generic-water-meter", "volume_forward", RegisterDataType.Bcd32)]
    [TestCase("generic-heat-meter", "heat_energy", RegisterDataType.UInt32)]
    [TestCase("generic-heat-meter", "due_date_energy", RegisterDataType.Bcd32)]
    public void The_meters_keep_their_totals_as_bcd_or_32_bit_integers(string model, string point, RegisterDataType type)
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get(model);

        Assert.That(profile.Points.Single(p => p.Name == point).Type, Is.EqualTo(type));
    }

    [Test]
    public void The_energy_meter_sends_its_totals_as_billing_registers_and_guards_the_supply_voltage()
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get("eastron-sdm630");
        var points = profile.Points.ToDictionary(p => p.Name);

        Assert.That(profile.Points.Where(p => p.Billing).Select(p => p.Name),
            Is.EquivalentTo(new[] { "import_active_energy", "export_active_energy", "total_active_energy" }));
        foreach (var phase in new[] { "voltage_l1", "voltage_l2", "voltage_l3" })
        {
            // EN 50160: 230 V ± 10 % for 95 % of the week's 10-minute means.
            var limits = points[phase].Alarms.ToDictionary(a => a.Kind, a => a.Value);
            Assert.That((limits[AlarmKind.Low], limits[AlarmKind.High]), Is.EqualTo((207.0, 253.0)), phase);
            Assert.That(limits.Keys, Is.EquivalentTo(new[] { AlarmKind.LowLow, AlarmKind.Low, AlarmKind.High, AlarmKind.HighHigh }), phase);
        }
        Assert.That(profile.MaxSilence, Is.EqualTo(TimeSpan.FromMinutes(15)));
    }

    [TestCase("eastron-sdm630")]
    [TestCase("civicedge-slc1")]
    [TestCase("generic-water-meter")]
    [TestCase("generic-heat-meter")]
    public void Every_billing_register_of_a_meter_is_a_total_that_never_falls(string model)
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get(model);

        var billing = profile.Points.Where(p => p.Billing).ToList();

        Assert.That(billing, Is.Not.Empty, "a meter has billing registers");
        Assert.That(billing.Select(p => p.Quantity), Has.All.Matches<string?>(q => q is not null && (q.EndsWith("energy", StringComparison.Ordinal) || q == "volume")));
        Assert.That(billing.Select(p => p.Deadband), Has.All.Zero, "every change of a billing register is reported");
    }

    [Test]
    public void Status_flags_of_the_lamp_and_the_meters_raise_alarms()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(Flags(catalog.Get("civicedge-slc1")), Is.SupersetOf(new[] { "lamp_failure", "driver_overtemperature", "relay_fault" }));
        Assert.That(Flags(catalog.Get("generic-water-meter")), Is.EquivalentTo(new[] { "battery_low", "empty_pipe", "reverse_flow", "leak_suspected" }));
        Assert.That(Flags(catalog.Get("generic-heat-meter")), Is.EquivalentTo(new[] { "sensor_fault", "flow_fault", "battery_low" }));

        static IEnumerable<string> Flags(DeviceProfile profile) =>
            profile.Points.Where(p => p.Alarms.Any(a => a.Kind == AlarmKind.Set)).Select(p => p.Name);
    }

    [TestCase("rs485-temperature-humidity", "humidity", 0x0000, 0.1, "%")]
    [TestCase("rs485-temperature-humidity", "temperature", 0x0001, 0.1, "Cel")]
    [TestCase("rs485-noise", "noise", 0x0000, 0.1, "dB")]
    [TestCase("rs485-pm", "pm2_5", 0x0004, 1.0, "ug/m3")]
    [TestCase("rs485-pm", "pm10", 0x0009, 1.0, "ug/m3")]
    [TestCase("rs485-wind-speed", "wind_speed", 0x0000, 0.1, "m/s")]
    [TestCase("rs485-wind-direction", "wind_direction_sector", 0x0000, 1.0, "1")]
    [TestCase("rs485-wind-direction", "wind_direction", 0x0001, 1.0, "deg")]
    public void The_single_purpose_environment_transmitters_hold_their_values_in_holding_registers(
        string model, string point, int address, double scale, string unit)
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get(model);

        var found = profile.Points.Single(p => p.Name == point);

        Assert.That(profile.Points.Select(p => p.Table).Distinct(), Is.EqualTo(new[] { RegisterTable.HoldingRegisters }), "function code 3 only");
        Assert.That((found.Address, found.Scale, found.Unit), Is.EqualTo(((ushort)address, scale, unit)));
    }

    [Test]
    public void A_temperature_below_zero_is_read_as_a_signed_register()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        var temperatures = catalog.Profiles.SelectMany(p => p.Points).Where(p => p.Quantity == "temperature" && p.Table != RegisterTable.Coils && !p.IsMeterPoint);

        Assert.That(temperatures.Select(p => p.Type), Has.All.EqualTo(RegisterDataType.Int16));
    }

    [Test]
    public void A_model_is_found_whatever_its_case()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(catalog.Find("Eastron-SDM630")?.Model, Is.EqualTo("eastron-sdm630"));
    }

    [Test]
    public void Asking_for_an_unknown_model_names_the_models_there_are()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        var error = Assert.Throws<KeyNotFoundException>(() => catalog.Get("acme-9000"));

        Assert.That(error.Message, Does.Contain("'acme-9000'").And.Contain("eastron-sdm630"));
    }
}
