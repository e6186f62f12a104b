using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.MeterNode.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class MeterRegisterMapTests
{
    [Test]
    public void The_forward_total_reads_as_eight_BCD_digits_of_litres_like_the_dial()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PulseWeightMillilitres = 250 });
        for (int i = 0; i < 50; i++)
            dial.Pulse();
        var registers = new ushort[2];

        var outcome = dial.Node.Registers.ReadRegisters(holding: true, MeterRegisterMap.ForwardVolume, 2, registers);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(ModbusExceptionCode.None));
            Assert.That(registers, Is.EqualTo(new ushort[] { 0x0000, 0x0012 }), "12.5 L reads as 12 whole litres");
        });
    }

    [Test]
    public void The_alarm_word_carries_reverse_flow_and_the_magnet()
    {
        var dial = new MeterDial(new FakeTimeProvider());
        for (int i = 0; i < 3; i++)
            dial.Pulse(-1);
        dial.TamperReed.Level = false;
        dial.Run(20);
        var word = new ushort[1];

        dial.Node.Registers.ReadRegisters(holding: false, MeterRegisterMap.AlarmWord, 1, word);

        Assert.That(word[0], Is.EqualTo(MeterRegisterMap.ReverseFlowBit | MeterRegisterMap.MagnetBit));
    }

    [Test]
    public void A_read_past_the_map_answers_illegal_data_address()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        var outcome = dial.Node.Registers.ReadRegisters(holding: true, MeterRegisterMap.Length - 1, 2, new ushort[2]);

        Assert.That(outcome, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void A_pulse_weight_written_as_a_register_pair_applies_to_later_pulses_and_survives_a_reboot()
    {
        var dial = new MeterDial(new FakeTimeProvider());
        dial.Pulse();

        var high = dial.Node.Registers.WriteRegister(MeterRegisterMap.PulseWeight, 0x0001);
        var low = dial.Node.Registers.WriteRegister(MeterRegisterMap.PulseWeight + 1, 0x86A0);
        dial.Pulse(pauseMilliseconds: 61_000);
        dial.Boot();

        Assert.Multiple(() =>
        {
            Assert.That((high, low), Is.EqualTo((ModbusExceptionCode.None, ModbusExceptionCode.None)));
            Assert.That(dial.Node.State.PulseWeightMillilitres, Is.EqualTo(100_000));
            Assert.That(dial.Node.State.ForwardMillilitres, Is.EqualTo(101_000));
        });
    }

    [Test]
    public void A_low_word_of_the_pulse_weight_without_its_high_word_is_refused()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        var outcome = dial.Node.Registers.WriteRegister(MeterRegisterMap.PulseWeight + 1, 500);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
            Assert.That(dial.Node.State.PulseWeightMillilitres, Is.EqualTo(1000));
        });
    }

    [Test]
    public void A_zero_pulse_weight_is_refused()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        dial.Node.Registers.WriteRegister(MeterRegisterMap.PulseWeight, 0);
        var outcome = dial.Node.Registers.WriteRegister(MeterRegisterMap.PulseWeight + 1, 0);

        Assert.That(outcome, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
    }

    [Test]
    public void The_meter_number_written_by_a_gateway_reads_back_and_is_kept()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { MeterNumber = "WM000001" });
        dial.Node.Registers.WriteRegister(MeterRegisterMap.MeterNumber + 3, ('4' << 8) | '2');

        dial.Boot();
        var registers = new ushort[4];
        dial.Node.Registers.ReadRegisters(holding: true, MeterRegisterMap.MeterNumber, 4, registers);
        var text = new string(registers.SelectMany(r => new[] { (char)(r >> 8), (char)(r & 0xFF) }).ToArray());

        Assert.That(text, Is.EqualTo("WM000042"));
    }

    [Test]
    public void Registers_outside_the_writable_ones_refuse_a_write()
    {
        var dial = new MeterDial(new FakeTimeProvider());

        Assert.That(dial.Node.Registers.WriteRegister(MeterRegisterMap.ForwardVolume, 0), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }
}
