using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Firmware;

namespace CivicEdge.Simulators.Tests.Firmware;

[Category("Unit")]
public sealed class PoleControllerDeviceTests
{
    // 22:00 UTC in Berlin in late November: two hours before midnight, the schedule has the lamp on at full light.
    private static readonly DateTimeOffset Night = new(2026, 11, 29, 22, 0, 0, TimeSpan.Zero);

    // Noon in Berlin: the schedule has the lamp off.
    private static readonly DateTimeOffset Noon = new(2026, 11, 29, 11, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_pole_at_night_serves_its_lit_lamp_through_the_slc1_map()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings { SerialNumber = "SLC00001" });

        Assert.Multiple(() =>
        {
            Assert.That(Input(device, 0), Is.InRange(2290, 2310), "mains 230 V in 0.1 V");
            Assert.That(Input(device, 1), Is.InRange(440, 475), "100 W at 230 V, PF 0.95: 458 mA");
            Assert.That(Input(device, 2), Is.InRange(970, 1030), "100 W in 0.1 W");
            Assert.That(Input(device, 5) & 1, Is.EqualTo(1), "lit");
            Assert.That(Input(device, 5) >> 4, Is.EqualTo(1), "schedule mode");
            Assert.That(Coil(device), Is.True);
            Assert.That(Holding(device, 0x0100), Is.EqualTo(('S' << 8) | 'L'), "serial number, two characters a register");
        });
    }

    [Test]
    public void A_pole_at_noon_keeps_its_lamp_off_and_draws_nothing()
    {
        var device = new PoleControllerDevice(Noon, new PoleSettings());

        Assert.Multiple(() =>
        {
            Assert.That(Input(device, 1), Is.Zero);
            Assert.That(Input(device, 5) & 1, Is.Zero);
            Assert.That(Coil(device), Is.False);
        });
    }

    [Test]
    public void The_energy_counter_grows_while_the_lamp_burns()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());
        var before = Energy(device);

        device.Update(Night.AddHours(1));

        // 100 W for an hour: 0.1 kWh, 10 in the register's 0.01 kWh.
        Assert.That(Energy(device) - before, Is.InRange(9, 11));
    }

    [Test]
    public void A_gateway_dimming_to_40_percent_reaches_the_firmware_and_reads_back_with_less_power()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        Assert.That(device.Bank.WriteFromMaster(0, [40]), Is.EqualTo(ModbusExceptionCode.None));
        var readAtOnce = Holding(device, 0);
        device.Update(Night.AddSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(readAtOnce, Is.EqualTo(40), "a master reading back at once sees what it wrote");
            Assert.That(Holding(device, 0), Is.EqualTo(40), "the firmware's set-point after its next pass");
            Assert.That(Input(device, 5) >> 4, Is.EqualTo(3), "command mode");
            // 40 % on a driver whose 1 V minimum is 10 %: 4 V, 40 % light, 40 W.
            Assert.That(Input(device, 2), Is.InRange(370, 430));
        });
    }

    [Test]
    public void A_set_point_the_firmware_refuses_is_counted_and_reads_back_as_the_firmware_kept_it()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        device.Bank.WriteFromMaster(0, [150]);

        Assert.Multiple(() =>
        {
            Assert.That(device.RefusedWrites, Is.EqualTo(1));
            Assert.That(Holding(device, 0), Is.EqualTo(100));
        });
    }

    [Test]
    public void Opening_the_relay_coil_switches_the_lamp_off()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        device.Bank.WriteBitsFromMaster(0, [false]);
        device.Update(Night.AddSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(Coil(device), Is.False);
            Assert.That(Input(device, 1), Is.Zero);
        });
    }

    [Test]
    public void A_failed_lamp_sets_the_lamp_failure_bit_after_the_firmware_has_seen_no_current_for_10_s()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());
        Assert.That(device.Apply("lamp-fail", null), Is.Null);

        device.Update(Night.AddSeconds(5));
        var early = Input(device, 5);
        device.Update(Night.AddSeconds(15));

        Assert.Multiple(() =>
        {
            Assert.That(early & 0b10, Is.Zero, "not before 10 s");
            Assert.That(Input(device, 5) & 0b10, Is.EqualTo(0b10));
            Assert.That(Input(device, 1), Is.Zero);
        });

        device.Apply("lamp-repair", null);
        device.Update(Night.AddSeconds(20));
        Assert.That(Input(device, 1), Is.GreaterThan(400), "burns again once repaired");
    }

    [Test]
    public void A_hot_driver_sets_the_overtemperature_bit_and_is_throttled()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        device.Apply("temperature", "95");
        device.Update(Night.AddSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(Input(device, 9), Is.InRange(940, 960), "95 °C in 0.1 °C");
            Assert.That(Input(device, 5) & 0b100, Is.EqualTo(0b100));
            Assert.That(Input(device, 2), Is.LessThan(600), "throttled to 50 %");
        });
    }

    [Test]
    public void Low_mains_shows_in_the_voltage_register()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        device.Apply("mains", "190");
        device.Update(Night.AddSeconds(5));

        Assert.That(Input(device, 0), Is.InRange(1890, 1910));
    }

    [Test]
    public void An_open_door_and_a_leaning_pole_reach_the_firmware()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        device.Apply("door", "open");
        device.Apply("tilt", "12");
        device.Update(Night.AddSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(device.Controller.DoorOpen, Is.True);
            Assert.That(device.Controller.Tilted, Is.True);
        });
    }

    [Test]
    public void A_pole_following_its_photocell_burns_at_noon_while_the_photocell_sees_dark_and_goes_out_a_minute_after_light()
    {
        var device = new PoleControllerDevice(Noon, new PoleSettings { UsePhotocell = true }, photocellDark: true);
        var litAtNoon = Input(device, 5) & 1;

        Assert.That(device.Apply("photocell", "light"), Is.Null);
        device.Update(Noon.AddSeconds(30));
        var stillLit = Input(device, 5) & 1;
        device.Update(Noon.AddSeconds(80));

        Assert.Multiple(() =>
        {
            Assert.That(litAtNoon, Is.EqualTo(1));
            Assert.That(stillLit, Is.EqualTo(1), "held 60 s against headlights");
            Assert.That(Input(device, 5) & 1, Is.Zero);
            Assert.That(Input(device, 5) >> 4, Is.EqualTo(2), "photocell mode");
        });
    }

    [Test]
    public void A_photocell_step_for_a_pole_without_one_is_refused()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        Assert.That(device.Apply("photocell", "dark"), Does.Contain("no photocell"));
    }

    [TestCase("tilt", "steep", "tilt: expected degrees from vertical, 0..90")]
    [TestCase("mains", "400", "mains: expected the supply in volts RMS, 0..300")]
    [TestCase("door", "ajar", "door: expected open or closed; found 'ajar'")]
    [TestCase("lamp-fail", "now", "lamp-fail: expected no argument; found 'now'")]
    public void A_bad_script_argument_is_refused_saying_what_was_expected(string action, string argument, string expected)
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        Assert.That(device.Apply(action, argument), Does.StartWith(expected));
    }

    [Test]
    public void A_read_outside_the_slc1_map_is_an_illegal_data_address()
    {
        var device = new PoleControllerDevice(Night, new PoleSettings());

        Assert.Multiple(() =>
        {
            Assert.That(device.Bank.CheckRead(RegisterTable.InputRegisters, 9, 2), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(device.Bank.CheckRead(RegisterTable.HoldingRegisters, 1, 1), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(device.Bank.CheckRead(RegisterTable.HoldingRegisters, 0x0100, 12), Is.EqualTo(ModbusExceptionCode.None));
        });
    }

    [Test]
    public void Settings_the_firmware_would_refuse_are_refused_when_the_pole_is_made()
    {
        var problem = Assert.Throws<ArgumentException>(() => new PoleControllerDevice(Night, new PoleSettings { Latitude = 95 }));

        Assert.That(problem!.Message, Does.Contain("Latitude"));
    }

    private static int Input(PoleControllerDevice device, ushort address)
    {
        var value = new ushort[1];
        device.Bank.Read(RegisterTable.InputRegisters, address, value);
        return value[0];
    }

    private static int Holding(PoleControllerDevice device, ushort address)
    {
        var value = new ushort[1];
        device.Bank.Read(RegisterTable.HoldingRegisters, address, value);
        return value[0];
    }

    private static bool Coil(PoleControllerDevice device)
    {
        var value = new bool[1];
        device.Bank.ReadBits(RegisterTable.Coils, 0, value);
        return value[0];
    }

    private static int Energy(PoleControllerDevice device)
    {
        var value = new ushort[2];
        device.Bank.Read(RegisterTable.InputRegisters, 3, value);
        return (value[0] << 16) | value[1];
    }
}
