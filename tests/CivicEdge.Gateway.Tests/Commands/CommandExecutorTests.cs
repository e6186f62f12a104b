using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Tests.Commands;

/// <summary>Commands executed against a Modbus TCP slave through the bus scheduler, and on a simulated GPIO relay.</summary>
[Category("Integration")]
public sealed class CommandExecutorTests
{
    private CommandRig _rig = null!;

    [SetUp]
    public async Task SetUp() => _rig = await CommandRig.StartAsync(maxWritesPerMinute: 3);

    [TearDown]
    public async Task TearDown() => await _rig.DisposeAsync();

    [Test]
    public async Task A_write_to_a_writable_register_reaches_the_device_and_the_result_is_the_value_read_back()
    {
        var outcome = await _rig.RunAsync(CommandRig.Lamp, "write", """{"point":"dimming_level","value":40}""");

        Assert.That(outcome.Status, Is.EqualTo(CommandStatus.Succeeded), outcome.Reason);
        Assert.That(HoldingRegister(0), Is.EqualTo(40));
        Assert.That(outcome.Result!.Value.GetProperty("value").GetDouble(), Is.EqualTo(40));
        Assert.That(outcome.Result.Value.GetProperty("unit").GetString(), Is.EqualTo("%"));
    }

    [Test]
    public async Task Switch_finds_the_devices_only_relay_coil_and_accepts_on_and_off_as_a_command_line_sends_them()
    {
        var on = await _rig.RunAsync(CommandRig.Lamp, "switch", """{"on":"on"}""");
        var coilAfterOn = Coil(0);
        var off = await _rig.RunAsync(CommandRig.Lamp, "switch", """{"on":false}""");

        Assert.That((on.Status, off.Status), Is.EqualTo((CommandStatus.Succeeded, CommandStatus.Succeeded)), on.Reason + off.Reason);
        Assert.That((coilAfterOn, Coil(0)), Is.EqualTo((true, false)));
        Assert.That(on.Result!.Value.GetProperty("point").GetString(), Is.EqualTo("lamp_relay"));
    }

    [Test]
    public async Task A_point_the_profile_does_not_mark_writable_is_refused_naming_the_writable_ones_and_nothing_is_written()
    {
        var outcome = await _rig.RunAsync(CommandRig.Lamp, "write", """{"point":"setpoint_limit","value":5}""");

        Assert.That(outcome.Status, Is.EqualTo(CommandStatus.Rejected));
        Assert.That(outcome.Reason, Does.Contain("does not mark writable").And.Contain("lamp_relay, dimming_level"));
        Assert.That(HoldingRegister(1), Is.Zero);
    }

    [TestCase(101)]
    [TestCase(-1)]
    public async Task A_value_outside_the_points_limits_is_refused_with_the_limits(double value)
    {
        var outcome = await _rig.RunAsync(CommandRig.Lamp, "write", $$"""{"point":"dimming_level","value":{{value}}}""");

        Assert.That(outcome.Status, Is.EqualTo(CommandStatus.Rejected));
        Assert.That(outcome.Reason, Does.Contain("within 0..100 %"));
        Assert.That(HoldingRegister(0), Is.Zero);
    }

    [Test]
    public async Task Writes_beyond_the_devices_rate_limit_are_refused_while_reads_go_on()
    {
        for (var i = 1; i <= 3; i++)
            Assert.That((await _rig.RunAsync(CommandRig.Lamp, "write", $$"""{"point":"dimming_level","value":{{i * 10}}}""")).Status, Is.EqualTo(CommandStatus.Succeeded));

        var fourth = await _rig.RunAsync(CommandRig.Lamp, "write", """{"point":"dimming_level","value":90}""");
        var read = await _rig.RunAsync(CommandRig.Lamp, "read", """{"point":"dimming_level"}""");

        Assert.That(fourth.Status, Is.EqualTo(CommandStatus.Rejected));
        Assert.That(fourth.Reason, Does.StartWith("rate limit: slc-0001 took 3 writes in the last minute"));
        Assert.That(HoldingRegister(0), Is.EqualTo(30));
        Assert.That(read.Result!.Value.GetProperty("value").GetDouble(), Is.EqualTo(30));
    }

    [Test]
    public async Task A_read_returns_the_scaled_value_the_device_holds_now()
    {
        _rig.Bank.Write(RegisterTable.InputRegisters, 0, [2287]);

        var outcome = await _rig.RunAsync(CommandRig.Lamp, "read", """{"point":"lamp_voltage"}""");

        Assert.That(outcome.Result!.Value.GetProperty("value").GetDouble(), Is.EqualTo(228.7).Within(1e-9));
    }

    [Test]
    public async Task A_gpio_relay_of_the_target_is_switched_on_its_pin()
    {
        var outcome = await _rig.RunAsync(CommandRig.Pole, "switch", """{"point":"cabinet_light","on":true}""");

        Assert.That(outcome.Status, Is.EqualTo(CommandStatus.Succeeded), outcome.Reason);
        Assert.That(_rig.Outputs.State("cabinet_light").Value, Is.EqualTo(1));
        Assert.That(_rig.Driver.Writes(22)[^1], Is.EqualTo(System.Device.Gpio.PinValue.High));
    }

    [Test]
    public async Task A_relay_takes_only_0_or_1()
    {
        var outcome = await _rig.RunAsync(CommandRig.Pole, "write", """{"point":"cabinet_light","value":2}""");

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((CommandStatus.Rejected, "value: expected 0 (off) or 1 (on) for relay cabinet_light, found 2")));
    }

    [Test]
    public async Task A_target_the_gateway_does_not_run_is_answered_unknown_target_naming_those_it_runs()
    {
        var outcome = await _rig.RunAsync("slc-9999", "read", """{"point":"lamp_voltage"}""");

        Assert.That(outcome.Status, Is.EqualTo(CommandStatus.UnknownTarget));
        Assert.That(outcome.Reason, Does.Contain("slc-0001").And.Contain("pole-0001"));
    }

    [TestCase("reboot", "{}", "name: expected read, write, switch, dim or acknowledge-alarm, found 'reboot'")]
    [TestCase("write", """{"point":"dimming_level","value":"lots"}""", "argument 'value': expected a number, found \"lots\"")]
    [TestCase("write", """{"value":1}""", "argument 'point': expected a point name, found nothing")]
    [TestCase("read", """{"point":"nope"}""", "point: expected one of lamp_relay, dimming_level, lamp_voltage, setpoint_limit, found 'nope'")]
    public async Task A_command_it_cannot_read_is_refused_saying_what_was_expected(string name, string arguments, string reason)
    {
        var outcome = await _rig.RunAsync(CommandRig.Lamp, name, arguments);

        Assert.That((outcome.Status, outcome.Reason), Is.EqualTo((CommandStatus.Rejected, reason)));
    }

    private ushort HoldingRegister(ushort address)
    {
        var value = new ushort[1];
        _rig.Bank.Read(RegisterTable.HoldingRegisters, address, value);
        return value[0];
    }

    private bool Coil(ushort address)
    {
        var value = new bool[1];
        _rig.Bank.ReadBits(RegisterTable.Coils, address, value);
        return value[0];
    }
}
