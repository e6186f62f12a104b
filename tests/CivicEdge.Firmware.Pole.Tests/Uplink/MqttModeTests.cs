using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Firmware.Pole.Tests.Support;
using CivicEdge.Firmware.Pole.Uplink;

namespace CivicEdge.Firmware.Pole.Tests.Uplink;

/// <summary>The pole on its own IP link, speaking the fleet's MQTT contract through the core's device uplink.</summary>
[Category("Integration")]
public sealed class MqttModeTests
{
    private const string Source = "POLE-0042";
    private static readonly DateTimeOffset Evening = new(2025, 3, 20, 20, 0, 0, TimeSpan.Zero);

    private static PoleRig MqttPole(Action<PoleSettings>? configure = null)
    {
        var settings = new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0, UplinkMode = UplinkMode.Mqtt, ReportSeconds = 30 };
        configure?.Invoke(settings);
        var rig = new PoleRig(Evening, settings: settings) { Credentials = new UplinkOptions(Source, Source, "s3cret", PoleController.FirmwareVersion) { Model = "civicedge-slc1" } };
        rig.Boot(clockSynchronized: true);
        return rig;
    }

    private static string Topic(string suffix) => "civic/v1/" + Source + suffix;

    [Test]
    public void In_MQTT_mode_the_pole_reports_the_SLC1_points_and_does_not_answer_the_field_bus()
    {
        var rig = MqttPole();
        rig.Run(TimeSpan.FromSeconds(65));

        Assert.That(rig.Controller.Slave, Is.Null);
        Assert.That(rig.Controller.Reporter, Is.Not.Null);
        var telemetry = rig.Broker.On(Topic("/telemetry")).ToList();
        Assert.That(telemetry, Is.Not.Empty);
        Assert.That(string.Join("\n", telemetry), Does.Contain("\"lamp_power\"").And.Contain("\"lamp_voltage\"").And.Contain("\"lamp_energy\"")
            .And.Contain("\"control_mode\"").And.Contain("\"driver_temperature\"").And.Contain("\"tilt_angle\""));
        Assert.That(rig.Controller.Reporter!.Uplink.Refused, Is.Zero, rig.Controller.Reporter.Uplink.LastRefusal);
    }

    [Test]
    public void A_door_opening_reaches_the_fleet_as_an_event_raised_then_cleared()
    {
        var rig = MqttPole();
        rig.Run(TimeSpan.FromSeconds(5));
        rig.Door.Level = true;
        rig.Run(TimeSpan.FromSeconds(5));
        rig.Door.Level = false;
        rig.Run(TimeSpan.FromSeconds(5));

        var events = string.Join("\n", rig.Broker.On(Topic("/events")));
        Assert.That(events, Does.Contain("door_open"));
        Assert.That(rig.Controller.Events.Count, Is.Zero, "handed to the uplink's durable outbox");
    }

    [Test]
    public void A_dim_command_from_the_fleet_sets_the_level_and_is_answered()
    {
        var rig = MqttPole();
        rig.Run(TimeSpan.FromSeconds(5));

        rig.Broker.Deliver(Topic("/commands"), """{"id":"cmd-1","target":"POLE-0042","name":"dim","arguments":{"level":35},"expiresAt":"2025-03-20T21:00:00Z"}""", Topic("/results"), "c1"u8.ToArray());
        rig.Run(TimeSpan.FromSeconds(3));

        Assert.That(rig.Controller.Output.Level, Is.EqualTo(35));
        Assert.That(string.Join("\n", rig.Broker.Published.Where(p => p.Topic == Topic("/results")).Select(p => p.Text)), Does.Contain("cmd-1").And.Contain("succeeded"));
    }

    [Test]
    public void A_dim_command_out_of_range_is_rejected_naming_what_was_expected_and_found()
    {
        var rig = MqttPole();
        rig.Run(TimeSpan.FromSeconds(5));

        rig.Broker.Deliver(Topic("/commands"), """{"id":"cmd-2","target":"POLE-0042","name":"dim","arguments":{"level":140},"expiresAt":"2025-03-20T21:00:00Z"}""", Topic("/results"), "c2"u8.ToArray());
        rig.Run(TimeSpan.FromSeconds(3));

        Assert.That(rig.Controller.Output.Level, Is.EqualTo(100));
        Assert.That(string.Join("\n", rig.Broker.On(Topic("/results"))), Does.Contain("expected argument level, a whole number 0 to 100; found the number 140"));
    }

    [Test]
    public void The_twins_desired_configuration_changes_the_schedule_settings_and_persists_them()
    {
        var rig = MqttPole();
        rig.Run(TimeSpan.FromSeconds(5));

        rig.Broker.Deliver(Topic("/desired"), """{"version":3,"updatedAt":"2025-03-20T19:59:00Z","configuration":{"devices":[{"id":"POLE-0042","onOffsetMinutes":15,"minimumLevel":20}]}}""");
        rig.Run(TimeSpan.FromSeconds(3));
        Assert.That(rig.Controller.Settings.OnOffsetMinutes, Is.EqualTo(15));

        rig.Boot(clockSynchronized: true);
        Assert.That(rig.Controller.Settings.OnOffsetMinutes, Is.EqualTo(15));
        Assert.That(rig.Controller.Settings.MinimumLevelPercent, Is.EqualTo(20));
    }

    [Test]
    public void In_MQTT_mode_the_pole_reads_its_energy_meter_on_the_RS485_bus_and_reports_it()
    {
        var rig = MqttPole(s => s.MeterUnit = 3);
        rig.Meter = new MeterOnTheBus(3, rig.Time);
        rig.Meter.Set(0x0000, 231.4f);
        rig.Meter.Set(0x0006, 0.457f);
        rig.Meter.Set(0x000C, 100.6f);
        rig.Meter.Set(0x0048, 1234.56f);
        rig.Boot(clockSynchronized: true);

        rig.Run(TimeSpan.FromSeconds(5));

        var meter = rig.Controller.Reporter!.Meter!;
        Assert.That(meter.Voltage, Is.EqualTo(231.4).Within(0.001));
        Assert.That(meter.ActivePower, Is.EqualTo(100.6).Within(0.001));
        Assert.That(meter.ImportEnergy, Is.EqualTo(1234.56).Within(0.001));
        Assert.That(string.Join("\n", rig.Broker.On(Topic("/telemetry"))), Does.Contain("\"meter_energy\"").And.Contain("\"meter_power\""));
    }

    [Test]
    public void A_meter_silent_three_readings_in_a_row_raises_energy_meter_lost_once_and_clears_when_it_answers()
    {
        var rig = MqttPole(s => s.MeterUnit = 3);
        rig.Meter = new MeterOnTheBus(3, rig.Time) { Unplugged = true };
        rig.Boot(clockSynchronized: true);

        rig.Run(TimeSpan.FromSeconds(150));
        rig.Meter.Unplugged = false;
        rig.Run(TimeSpan.FromSeconds(40));

        var events = rig.Broker.On(Topic("/events")).Where(e => e.Contains("energy_meter_lost", StringComparison.Ordinal)).ToList();
        Assert.That(rig.Controller.Reporter!.Meter!.Failures, Is.GreaterThanOrEqualTo(3));
        Assert.That(string.Join("\n", events), Does.Contain("does not answer"));
        Assert.That(string.Join("\n", events), Does.Contain("answers again"));
    }

    [Test]
    public void MQTT_mode_without_credentials_falls_back_to_the_field_bus_and_says_why()
    {
        var settings = new PoleSettings { UplinkMode = UplinkMode.Mqtt };
        var rig = new PoleRig(Evening, settings: settings);

        Assert.That(rig.Controller.Slave, Is.Not.Null);
        Assert.That(rig.Controller.UplinkProblem, Is.EqualTo("Setting UplinkMode: expected a network link and device credentials for MQTT, found no credentials; answering as a Modbus slave instead"));
    }
}
