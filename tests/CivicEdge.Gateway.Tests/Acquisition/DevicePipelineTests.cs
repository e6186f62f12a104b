using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class DevicePipelineTests
{
    private static readonly DeviceProfile Meter = Profile(
        TimeSpan.FromSeconds(5),
        Point("voltage", 0, RegisterDataType.Float32) with
        {
            Deadband = 0.5,
            Alarms = [new AlarmLimit(AlarmKind.High, 253, AlarmSeverity.Warning, 2, TimeSpan.Zero, null)],
        },
        Point("power", 2, RegisterDataType.Float32, unit: "kW", quantity: "active_power") with { Deadband = 0.1 },
        Point("energy", 4, RegisterDataType.UInt32, unit: "Wh", quantity: "active_energy") with { Billing = true },
        Point("serial", 10) with { Length = 4 });

    private static PollResult Poll(int second, bool answered, params double?[] values) => new(
        TestReadings.Start.AddSeconds(second),
        answered,
        [
            values[0] is { } v ? new PointValue("voltage", v, "V", "voltage", Quality.Good) : null,
            values[1] is { } p ? new PointValue("power", p, "kW", "active_power", Quality.Good) : null,
            values[2] is { } e ? new PointValue("energy", e, "Wh", "active_energy", Quality.Good) : null,
            null,
        ]);

    [Test]
    public void The_first_poll_reports_every_point_read_billing_registers_in_a_reading_of_their_own_in_canonical_units()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);

        var report = pipeline.Process(Poll(0, true, 230, 1.5, 12_345_678));

        Assert.That(report.Events, Is.Empty);
        Assert.That(report.Readings.Select(r => (r.DeviceId, r.Model, r.Timestamp, r.Stream)), Is.EqualTo(new[]
        {
            ("mtr-1", (string?)MeterModel, TestReadings.Start, Streams.Telemetry),
            ("mtr-1", (string?)MeterModel, TestReadings.Start, Streams.Billing),
        }));
        Assert.That(report.Readings[0].Points.Select(p => (p.Name, p.Value, p.Unit)), Is.EqualTo(new[] { ("voltage", 230.0, "V"), ("power", 1500.0, "W") }));
        Assert.That(report.Readings[1].Points.Select(p => (p.Name, p.Value, p.Unit)), Is.EqualTo(new[] { ("energy", 12_345.678, "kWh") }));
    }

    [Test]
    public void A_poll_with_nothing_new_reports_nothing()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);
        pipeline.Process(Poll(0, true, 230, 1.5, 1000));

        Assert.That(pipeline.Process(Poll(5, true, 230.2, 1.55, 1000)), Is.SameAs(DeviceReport.Empty));
    }

    [Test]
    public void A_deadband_in_the_profiles_unit_applies_to_the_converted_value()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);
        pipeline.Process(Poll(0, true, 230, 1.5, 1000));

        // 0.1 kW is 100 W: 1.55 kW is 50 W away, 1.65 kW is 150 W away.
        Assert.That(pipeline.Process(Poll(5, true, 230, 1.55, 1000)).Readings, Is.Empty);
        var report = pipeline.Process(Poll(10, true, 230, 1.65, 1000));
        Assert.That(report.Readings.Single().Points.Select(p => (p.Name, p.Value)), Is.EqualTo(new[] { ("power", 1650.0) }));
    }

    [Test]
    public void Only_the_billing_reading_is_made_when_only_a_billing_register_moved()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);
        pipeline.Process(Poll(0, true, 230, 1.5, 1000));

        var report = pipeline.Process(Poll(5, true, 230, 1.5, 1002));

        Assert.That(report.Readings.Select(r => (r.Stream, r.Points.Single().Name, r.Points.Single().Value)), Is.EqualTo(new[] { (Streams.Billing, "energy", 1.002) }));
    }

    [Test]
    public void A_silent_device_reports_each_point_once_as_comm_error_and_raises_comm_lost()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);
        pipeline.Process(Poll(0, true, 230, 1.5, 1000));

        var lost = pipeline.Process(Poll(5, false, null, null, null));
        var still = pipeline.Process(Poll(10, false, null, null, null));

        Assert.That(lost.Readings.SelectMany(r => r.Points.Select(p => (r.Stream, p.Name, p.Value, p.Quality))), Is.EqualTo(new[]
        {
            (Streams.Telemetry, "voltage", 230.0, Quality.CommError),
            (Streams.Telemetry, "power", 1500.0, Quality.CommError),
            (Streams.Billing, "energy", 1.0, Quality.CommError),
        }));
        Assert.That(lost.Events.Select(e => (e.Code, e.State)), Is.EqualTo(new[] { (AlarmMonitor.CommLostCode, EventState.Raised) }));
        Assert.That(still, Is.SameAs(DeviceReport.Empty));
    }

    [Test]
    public void A_point_not_read_while_the_device_answers_is_reported_once_as_stale()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);
        pipeline.Process(Poll(0, true, 230, 1.5, 1000));

        var report = pipeline.Process(Poll(5, true, 230, null, 1000));

        Assert.That(report.Readings.Single().Points.Single(), Is.EqualTo(new PointValue("power", 1500, "W", "active_power", Quality.Stale)));
        Assert.That(report.Events, Is.Empty, "the device answers");
    }

    [Test]
    public void An_alarm_comes_out_with_the_reading_of_the_same_poll()
    {
        var pipeline = new DevicePipeline("mtr-1", Meter, []);
        pipeline.Process(Poll(0, true, 230, 1.5, 1000));

        var report = pipeline.Process(Poll(5, true, 254, 1.5, 1000));

        Assert.That(report.Readings.Single().Points.Single().Value, Is.EqualTo(254.0));
        Assert.That(report.Events.Single(), Has.Property(nameof(DeviceEvent.Code)).EqualTo("voltage.high").And.Property(nameof(DeviceEvent.Value)).EqualTo(254.0));
    }

    [Test]
    public void Alarm_limits_in_the_profiles_unit_are_judged_on_the_converted_value()
    {
        var profile = Profile(TimeSpan.FromSeconds(5), Point("power", 0, RegisterDataType.Float32, unit: "kW", quantity: "active_power") with
        {
            Alarms = [new AlarmLimit(AlarmKind.High, 2.5, AlarmSeverity.Warning, 0.5, TimeSpan.Zero, null)],
        });
        var pipeline = new DevicePipeline("mtr-1", profile, []);
        PollResult Power(int second, double kw) => new(TestReadings.Start.AddSeconds(second), true, [new PointValue("power", kw, "kW", "active_power", Quality.Good)]);

        var raised = pipeline.Process(Power(0, 2.6)).Events.Single();
        var held = pipeline.Process(Power(5, 2.2)).Events;
        var cleared = pipeline.Process(Power(10, 1.9)).Events.Single();

        Assert.That((raised.State, raised.Value, raised.Message), Is.EqualTo((EventState.Raised, (double?)2600, "power above high limit 2500 W")));
        Assert.That(held, Is.Empty, "2200 W is above 2500 W less the 500 W hysteresis");
        Assert.That(cleared.State, Is.EqualTo(EventState.Cleared));
    }
}
