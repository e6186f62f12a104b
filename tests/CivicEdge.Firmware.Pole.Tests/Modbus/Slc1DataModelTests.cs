using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Pole.Lighting;
using CivicEdge.Firmware.Pole.Modbus;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Tests.Support;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Hardware;

namespace CivicEdge.Firmware.Pole.Tests.Modbus;

/// <summary>The served registers, decoded with the gateway's own profile machinery from hardware/profiles/civicedge-slc1.yaml.</summary>
[Category("Integration")]
public sealed class Slc1DataModelTests
{
    private static readonly DateTimeOffset Evening = new(2025, 3, 20, 20, 0, 0, TimeSpan.Zero);

    private static DeviceProfile Profile() =>
        ProfileLoader.LoadFile(Path.Combine(ProfileDirectory.Locate(), "civicedge-slc1.yaml"));

    private static Dictionary<string, double> Decode(DeviceProfile profile, IModbusDataModel model)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var point in profile.Points.Where(p => !p.IsText))
        {
            if (point.Table is CivicEdge.Protocols.Modbus.RegisterTable.Coils)
            {
                var bits = new bool[1];
                Assert.That(model.ReadBits(coils: true, point.Address, 1, bits), Is.EqualTo(ModbusExceptionCode.None), point.Name);
                Assert.That(PointDecoder.TryDecode(point, bits[0], out var bit), Is.True, point.Name);
                values[point.Name] = bit!.Value;
                continue;
            }

            var registers = new ushort[ReadPlanner.Width(point)];
            var holding = point.Table is CivicEdge.Protocols.Modbus.RegisterTable.HoldingRegisters;
            Assert.That(model.ReadRegisters(holding, point.Address, registers.Length, registers), Is.EqualTo(ModbusExceptionCode.None), point.Name);
            Assert.That(PointDecoder.TryDecode(point, registers, out var value), Is.True, point.Name);
            values[point.Name] = value!.Value;
        }

        return values;
    }

    [Test]
    public void Every_point_of_the_profile_decodes_to_the_controllers_state()
    {
        var settings = new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0, SerialNumber = "SLC1-2025-000042" };
        var rig = new PoleRig(Evening, settings: settings);
        rig.DriverCelsius = 47.5;
        rig.Lamp.PowerFactor = 0.9;
        rig.Run(TimeSpan.FromHours(3), TimeSpan.FromSeconds(30));
        var controller = rig.Controller;
        var model = new Slc1DataModel(controller);

        var values = Decode(Profile(), model);

        Assert.Multiple(() =>
        {
            Assert.That(values["lamp_relay"], Is.EqualTo(1));
            Assert.That(values["dimming_level"], Is.EqualTo(100));
            Assert.That(values["lamp_voltage"], Is.EqualTo(controller.Mains.VoltageRms).Within(0.05));
            Assert.That(values["lamp_voltage"], Is.EqualTo(230).Within(1).Percent);
            Assert.That(values["lamp_current"], Is.EqualTo(controller.Mains.CurrentRms).Within(0.0005));
            Assert.That(values["lamp_power"], Is.EqualTo(100).Within(1.5).Percent);
            Assert.That(values["lamp_energy"], Is.EqualTo(0.30).Within(0.011), "300 Wh in 0.01 kWh steps");
            Assert.That(values["lamp_on"], Is.EqualTo(1));
            Assert.That(values["lamp_failure"], Is.Zero);
            Assert.That(values["driver_overtemperature"], Is.Zero);
            Assert.That(values["relay_fault"], Is.Zero);
            Assert.That(values["control_mode"], Is.EqualTo((int)ControlMode.Schedule));
            Assert.That(values["burning_hours"], Is.EqualTo(2), "3 h less the first pass, whole hours");
            Assert.That(values["power_factor"], Is.EqualTo(0.9).Within(0.02));
            Assert.That(values["driver_temperature"], Is.EqualTo(47.5).Within(0.5));
        });

        var text = new ushort[12];
        Assert.That(model.ReadRegisters(holding: true, 0x0100, 12, text), Is.EqualTo(ModbusExceptionCode.None));
        var profile = Profile();
        var serial = profile.Points.Single(p => p.Name == "serial_number");
        var version = profile.Points.Single(p => p.Name == "firmware_version");
        Assert.That(CivicEdge.Protocols.Modbus.RegisterValueCodec.DecodeString(text.AsSpan(0, 8), serial.Order == CivicEdge.Protocols.Modbus.RegisterOrder.BADC), Is.EqualTo("SLC1-2025-000042"));
        Assert.That(CivicEdge.Protocols.Modbus.RegisterValueCodec.DecodeString(text.AsSpan(8, 4), version.Order == CivicEdge.Protocols.Modbus.RegisterOrder.BADC), Is.EqualTo(PoleController.FirmwareVersion));
    }

    [Test]
    public void Status_bits_and_the_control_mode_follow_faults_and_commands()
    {
        var rig = new PoleRig(new DateTimeOffset(2025, 3, 20, 12, 0, 0, TimeSpan.Zero), settings: new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0 });
        rig.Lamp.Welded = true;
        rig.DriverCelsius = 95;
        rig.Run(TimeSpan.FromSeconds(20));

        var values = Decode(Profile(), new Slc1DataModel(rig.Controller));

        Assert.That(values["relay_fault"], Is.EqualTo(1));
        Assert.That(values["driver_overtemperature"], Is.EqualTo(1));
        Assert.That(values["lamp_on"], Is.EqualTo(1), "a day burner is lit");
        Assert.That(values["lamp_relay"], Is.Zero);
    }

    [Test]
    public void Writing_the_relay_coil_and_the_dimming_register_commands_the_lamp_until_the_override_ends()
    {
        var rig = new PoleRig(new DateTimeOffset(2025, 3, 20, 12, 0, 0, TimeSpan.Zero),
            settings: new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0, CommandOverrideMinutes = 15 });
        var model = new Slc1DataModel(rig.Controller);
        rig.Run(TimeSpan.FromSeconds(2));

        Assert.That(model.WriteCoil(0, true), Is.EqualTo(ModbusExceptionCode.None));
        rig.Run(TimeSpan.FromSeconds(2));
        Assert.That(rig.Relay.State, Is.True);
        Assert.That(Decode(Profile(), model)["control_mode"], Is.EqualTo((int)ControlMode.Command));

        Assert.That(model.WriteRegister(0, 40), Is.EqualTo(ModbusExceptionCode.None));
        rig.Run(TimeSpan.FromSeconds(2));
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(40));
        Assert.That(Decode(Profile(), model)["dimming_level"], Is.EqualTo(40));

        Assert.That(model.WriteCoil(0, false), Is.EqualTo(ModbusExceptionCode.None));
        rig.Run(TimeSpan.FromSeconds(2));
        Assert.That(rig.Relay.State, Is.False);

        Assert.That(model.WriteRegister(0, 60), Is.EqualTo(ModbusExceptionCode.None));
        rig.Run(TimeSpan.FromMinutes(16));
        Assert.That(rig.Relay.State, Is.False, "the override ended: daylight, the schedule has it off");
        Assert.That(Decode(Profile(), model)["control_mode"], Is.EqualTo((int)ControlMode.Schedule));
    }

    [Test]
    public void A_written_dimming_level_reads_back_at_once_before_the_next_pass()
    {
        var rig = new PoleRig(Evening, settings: new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 10 });
        var model = new Slc1DataModel(rig.Controller);
        rig.Run(TimeSpan.FromSeconds(2));

        Assert.That(model.WriteRegister(0, 40), Is.EqualTo(ModbusExceptionCode.None));

        // A gateway reads the register back right after its write, before the main loop has run again.
        Assert.That(Decode(Profile(), model)["dimming_level"], Is.EqualTo(40));
        Assert.That(Decode(Profile(), model)["control_mode"], Is.EqualTo((int)ControlMode.Command));
    }

    [Test]
    public void Addresses_outside_the_map_and_values_out_of_range_are_refused_with_the_modbus_exception()
    {
        var rig = new PoleRig(Evening);
        var model = new Slc1DataModel(rig.Controller);
        var registers = new ushort[16];
        var bits = new bool[2];

        Assert.Multiple(() =>
        {
            Assert.That(model.ReadRegisters(holding: false, 0, 11, registers), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(model.ReadRegisters(holding: true, 0, 2, registers), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(model.ReadRegisters(holding: true, 0x0108, 5, registers), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(model.ReadBits(coils: true, 0, 2, bits), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(model.ReadBits(coils: false, 0, 1, bits), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(model.WriteRegister(0, 101), Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
            Assert.That(model.WriteRegister(0x0100, 0x4142), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(model.WriteCoil(1, true), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        });
    }

    [Test]
    public void The_map_serves_exactly_the_profiles_registers_and_nothing_else()
    {
        var profile = Profile();
        var model = new Slc1DataModel(new PoleRig(Evening).Controller);
        var one = new ushort[1];
        foreach (var holding in new[] { false, true })
        {
            var table = holding ? CivicEdge.Protocols.Modbus.RegisterTable.HoldingRegisters : CivicEdge.Protocols.Modbus.RegisterTable.InputRegisters;
            var inProfile = profile.Points.Where(p => p.Table == table)
                .SelectMany(p => Enumerable.Range(p.Address, ReadPlanner.Width(p))).ToHashSet();
            for (var address = 0; address < 0x0200; address++)
            {
                var served = model.ReadRegisters(holding, address, 1, one) == ModbusExceptionCode.None;
                Assert.That(served, Is.EqualTo(inProfile.Contains(address)), $"{table} {address:X4}");
            }
        }
    }
}
