using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Devices;
using CivicEdge.Simulators.Meters;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Devices;

[Category("Unit")]
public sealed class ProfileRegisterMapTests
{
    /// <summary>Reads a point back the way a master and the gateway would: registers, codec, then the profile's scaling.</summary>
    private static double ReadBack(RegisterBank bank, PointDefinition point)
    {
        Span<ushort> registers = stackalloc ushort[RegisterValueCodec.RegisterCount(point.Type)];
        bank.Read(point.Table, point.Address, registers);
        return (RegisterValueCodec.Decode(registers, point.Type, point.Order) * point.Scale) + point.Offset;
    }

    [Test]
    public void Every_sdm630_point_round_trips_through_the_codec_as_a_float32()
    {
        var model = new ThreePhaseMeterModel(new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero)), new Random(1));
        var bank = new RegisterBank();

        var missing = new ProfileRegisterMap(Profiles.Sdm630).Write(model, bank, includeWritable: true);

        Assert.That(missing, Is.Empty);
        using (Assert.EnterMultipleScope())
        {
            foreach (var point in Profiles.Sdm630.Points)
            {
                model.TryGetValue(point.Name, out var expected);
                Assert.That(ReadBack(bank, point), Is.EqualTo((double)(float)expected), point.Name);
            }
        }
    }

    [Test]
    public void Scaling_and_offset_are_inverted_so_that_the_profile_reads_the_value_back()
    {
        var profile = Profiles.Inline("""
              - { name: temperature, table: holding, address: 10, type: int16, scale: 0.1, offset: -40, unit: °C }
              - { name: energy, table: input, address: 0x20, type: uint32, order: CDAB, scale: 0.01, unit: kWh }
              - { name: pressure, table: input, address: 0x30, type: float64, order: DCBA, scale: 2, offset: 1, unit: bar }
            """);
        var model = new FixedDeviceModel(new Dictionary<string, double> { ["temperature"] = 21.37, ["energy"] = 123456.78, ["pressure"] = 3.25 });
        var bank = new RegisterBank();

        new ProfileRegisterMap(profile).Write(model, bank, includeWritable: true);

        Span<ushort> raw = stackalloc ushort[1];
        bank.Read(RegisterTable.HoldingRegisters, 10, raw);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw[0], Is.EqualTo(614), "(21.37 + 40) / 0.1 rounds to 614");
            Assert.That(ReadBack(bank, profile.Points[0]), Is.EqualTo(21.4).Within(1e-9));
            Assert.That(ReadBack(bank, profile.Points[1]), Is.EqualTo(123456.78).Within(1e-6));
            Assert.That(ReadBack(bank, profile.Points[2]), Is.EqualTo(3.25));
        }
    }

    [Test]
    public void The_register_order_of_the_profile_is_the_one_written()
    {
        var profile = Profiles.Inline("  - { name: energy, table: input, address: 0, type: uint32, order: CDAB, unit: Wh }\n");
        var bank = new RegisterBank();

        new ProfileRegisterMap(profile).Write(new FixedDeviceModel(new Dictionary<string, double> { ["energy"] = 0x12345678 }), bank, includeWritable: true);

        var registers = new ushort[2];
        bank.Read(RegisterTable.InputRegisters, 0, registers);
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x5678, 0x1234 }));
    }

    [Test]
    public void Points_the_model_lacks_are_reported_and_their_registers_left_alone()
    {
        var profile = Profiles.Inline("""
              - { name: voltage, table: input, address: 0, type: float32, unit: V }
              - { name: serial_number, table: input, address: 2, type: uint32, unit: "1" }
            """);
        var bank = new RegisterBank();
        bank.Write(RegisterTable.InputRegisters, 2, [0xAAAA, 0xBBBB]);

        var missing = new ProfileRegisterMap(profile).Write(new FixedDeviceModel(new Dictionary<string, double> { ["voltage"] = 230 }), bank, includeWritable: true);

        var registers = new ushort[2];
        bank.Read(RegisterTable.InputRegisters, 2, registers);
        Assert.That(missing, Is.EqualTo(new[] { "serial_number" }));
        Assert.That(registers, Is.EqualTo(new ushort[] { 0xAAAA, 0xBBBB }));
    }

    [Test]
    public void Writable_points_are_written_only_when_asked_for()
    {
        var profile = Profiles.Inline("  - { name: setpoint, table: holding, address: 5, type: uint16, unit: \"%\", writable: true }\n");
        var model = new FixedDeviceModel(new Dictionary<string, double> { ["setpoint"] = 40 });
        var map = new ProfileRegisterMap(profile);
        var bank = new RegisterBank();

        map.Write(model, bank, includeWritable: true);
        bank.WriteFromMaster(5, [75]);
        map.Write(model, bank, includeWritable: false);

        Assert.That(ReadBack(bank, profile.Points[0]), Is.EqualTo(75), "a master's write survives the refresh");
    }

    [Test]
    public void Coils_and_discrete_inputs_are_set_when_their_value_is_not_zero()
    {
        var profile = Profiles.Inline("""
              - { name: relay, table: coil, address: 0, unit: "1", writable: true }
              - { name: spare, table: coil, address: 1, unit: "1" }
              - { name: door, table: discrete, address: 4, unit: "1" }
            """);
        var bank = new RegisterBank();

        new ProfileRegisterMap(profile).Write(new FixedDeviceModel(new Dictionary<string, double> { ["relay"] = 1, ["spare"] = 0, ["door"] = 1 }), bank, includeWritable: true);

        var coils = new bool[2];
        var inputs = new bool[1];
        bank.ReadBits(RegisterTable.Coils, 0, coils);
        bank.ReadBits(RegisterTable.DiscreteInputs, 4, inputs);
        Assert.That((coils[0], coils[1], inputs[0]), Is.EqualTo((true, false, true)));
        Assert.That(ProfileRegisterMap.TryRead(profile.Points[0], bank, out var relay) ? relay : -1, Is.EqualTo(1.0));
    }

    [Test]
    public void Status_flags_sharing_a_register_are_written_into_their_own_bits_only()
    {
        var profile = Profiles.Inline("""
              - { name: lamp_on, table: input, address: 5, type: uint16, bits: 0, unit: "1" }
              - { name: lamp_failure, table: input, address: 5, type: uint16, bits: 1, unit: "1" }
              - { name: mode, table: input, address: 5, type: uint16, bits: 4-7, unit: "1" }
            """);
        var bank = new RegisterBank();
        bank.Write(RegisterTable.InputRegisters, 5, [0x8000]);

        new ProfileRegisterMap(profile).Write(new FixedDeviceModel(new Dictionary<string, double> { ["lamp_on"] = 1, ["lamp_failure"] = 0, ["mode"] = 3 }), bank, includeWritable: true);

        var register = new ushort[1];
        bank.Read(RegisterTable.InputRegisters, 5, register);
        Assert.That(register[0], Is.EqualTo(0x8031), "bit 0 set, bit 1 clear, bits 4-7 hold 3, and bit 15 untouched");
        Assert.That(profile.Points.Select(p => ProfileRegisterMap.TryRead(p, bank, out var v) ? v : -1), Is.EqualTo(new[] { 1.0, 0.0, 3.0 }));
    }

    [Test]
    public void Text_points_are_left_blank_and_not_reported_as_missing()
    {
        var profile = Profiles.Inline("  - { name: serial_number, table: holding, address: 0, type: string, length: 4 }\n");

        var missing = new ProfileRegisterMap(profile).Write(new FixedDeviceModel(new Dictionary<string, double>()), new RegisterBank(), includeWritable: true);

        Assert.That(missing, Is.Empty);
    }
}
