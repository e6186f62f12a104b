using CivicEdge.Firmware.MeterNode;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Firmware;

namespace CivicEdge.Simulators.Tests.Firmware;

[Category("Unit")]
public sealed class MeterNodeDeviceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    [Test]
    public void Water_flowing_at_a_rate_turns_the_dial_and_the_firmware_counts_the_litres()
    {
        var device = new MeterNodeDevice(Start) { FlowLitresPerHour = 3600 };

        for (int second = 1; second <= 60; second++)
            device.Update(Start.AddSeconds(second));

        Assert.Multiple(() =>
        {
            Assert.That(ReadBcd(device, MeterRegisterMap.ForwardVolume), Is.InRange(59, 60));
            Assert.That(Read32(device, MeterRegisterMap.Flow), Is.InRange(3500, 3700));
        });
    }

    [Test]
    public void A_long_gap_between_updates_still_delivers_every_quarter_turn_at_its_own_time()
    {
        var device = new MeterNodeDevice(Start) { FlowLitresPerHour = 600 };

        device.Update(Start.AddMinutes(6));

        Assert.That(device.Node.State.ForwardPulses, Is.EqualTo(60));
    }

    [Test]
    public void Reverse_flow_is_counted_backwards_and_raises_the_alarm_bit()
    {
        var device = new MeterNodeDevice(Start);
        Assert.That(device.Apply("reverse", "3600"), Is.Null);

        device.Update(Start.AddSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(ReadBcd(device, MeterRegisterMap.ReverseVolume), Is.InRange(9, 10));
            Assert.That(Read16(device, MeterRegisterMap.AlarmWord) & MeterRegisterMap.ReverseFlowBit, Is.Not.Zero);
        });
    }

    [Test]
    public void A_magnet_and_a_cut_cable_show_in_the_alarm_word()
    {
        var device = new MeterNodeDevice(Start);

        device.Apply("magnet", "on");
        device.Apply("cable", "cut");
        device.Update(Start.AddSeconds(1));

        Assert.That(Read16(device, MeterRegisterMap.AlarmWord), Is.EqualTo(MeterRegisterMap.MagnetBit | MeterRegisterMap.CableCutBit));
    }

    [TestCase("flow", "lots", "flow: expected litres per hour")]
    [TestCase("magnet", "maybe", "magnet: expected on or off; found 'maybe'")]
    [TestCase("tilt", "5", "expected one of flow, reverse, magnet, cable; found 'tilt'")]
    public void A_script_action_that_does_not_fit_is_refused_saying_what_was_expected(string action, string argument, string expected)
    {
        var device = new MeterNodeDevice(Start);

        Assert.That(device.Apply(action, argument), Does.StartWith(expected));
    }

    [Test]
    public void A_masters_write_of_the_pulse_weight_reaches_the_firmware()
    {
        var device = new MeterNodeDevice(Start);

        var outcome = device.Bank.WriteFromMaster((ushort)MeterRegisterMap.PulseWeight, [0x0000, 0x2710]);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(ModbusExceptionCode.None));
            Assert.That(device.Node.State.PulseWeightMillilitres, Is.EqualTo(10_000));
            Assert.That(Read32(device, MeterRegisterMap.PulseWeight), Is.EqualTo(10_000));
        });
    }

    [Test]
    public void A_masters_write_the_firmware_refuses_reads_back_as_the_firmware_kept_it()
    {
        var device = new MeterNodeDevice(Start);

        device.Bank.WriteFromMaster((ushort)MeterRegisterMap.ForwardVolume, [0x9999, 0x9999]);

        Assert.That(ReadBcd(device, MeterRegisterMap.ForwardVolume), Is.Zero);
    }

    private static int Read16(MeterNodeDevice device, int address)
    {
        var value = new ushort[1];
        device.Bank.Read(RegisterTable.HoldingRegisters, (ushort)address, value);
        return value[0];
    }

    private static int Read32(MeterNodeDevice device, int address)
    {
        var value = new ushort[2];
        device.Bank.Read(RegisterTable.HoldingRegisters, (ushort)address, value);
        return (value[0] << 16) | value[1];
    }

    private static int ReadBcd(MeterNodeDevice device, int address) =>
        int.Parse(((uint)Read32(device, address)).ToString("X8", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
}
