using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Health;
using static CivicEdge.Fleet.Core.Tests.HealthFixtures;

namespace CivicEdge.Fleet.Core.Tests.Health;

[TestFixture]
[Category("Unit")]
public sealed class PlanFiguresTests
{
    private readonly HealthOptions _options = new() { Grace = TimeSpan.FromMinutes(1) };

    [Test]
    public void A_pole_works_when_every_lighting_device_on_it_is_online_and_none_has_an_open_lamp_failure()
    {
        var ledger = new[]
        {
            Device("pc-1", DeviceKind.PoleController, pole: "P-1"), Device("lamp-1a", DeviceKind.Lamp, pole: "P-1"),
            Device("pc-2", DeviceKind.PoleController, pole: "P-2"), Device("lamp-2a", DeviceKind.Lamp, pole: "P-2"),
            Device("pc-3", DeviceKind.PoleController, pole: "P-3"),
            Device("lamp-loose", DeviceKind.Lamp),
            Device("pc-new", DeviceKind.PoleController, pole: "P-9", state: LifecycleState.Installed),
        };
        var seen = new[] { Seen("pc-1", T0), Seen("lamp-1a", T0), Seen("pc-2", T0), Seen("lamp-2a", T0), Seen("pc-3", T0.AddHours(-3)), Seen("lamp-loose", T0) };
        var alarms = new[] { OpenAlarm(1, "lamp-2a", "lamp_failure.set") };

        var row = Assess(ledger, seen, alarms).Total;

        // P-1 works; P-2 has a lamp failure; P-3's controller is offline; the loose lamp is a pole of its own and works;
        // P-9 is not in service yet.
        Assert.That(row.SmartLighting, Is.EqualTo(new AssessmentFigure(2, 4, 0.5)));
    }

    [Test]
    public void A_meter_counts_when_it_reported_within_the_last_day_or_within_its_cadence_when_that_is_longer()
    {
        _options.Devices["wm-weekly"] = TimeSpan.FromDays(7);
        var ledger = new[]
        {
            Device("wm-1", DeviceKind.WaterMeter), Device("gm-1", DeviceKind.GasMeter), Device("hm-1", DeviceKind.HeatMeter),
            Device("em-1", DeviceKind.EnergyMeter), Device("wm-weekly", DeviceKind.WaterMeter), Device("env-1", DeviceKind.EnvironmentStation),
        };
        var seen = new[]
        {
            Seen("wm-1", T0.AddHours(-23)), Seen("gm-1", T0.AddHours(-25)), Seen("em-1", T0), Seen("wm-weekly", T0.AddDays(-3)), Seen("env-1", T0),
        };

        var row = Assess(ledger, seen, []).Total;

        Assert.That(row.MeterReporting, Is.EqualTo(new AssessmentFigure(3, 5, 0.6)));
    }

    [Test]
    public void Pipe_sensors_are_sensors_tagged_pipe_or_sensing_pipe_quantities_and_count_when_online()
    {
        var ledger = new[]
        {
            Device("ps-1", DeviceKind.Sensor, capabilities: ["pressure"]),
            Device("ps-2", DeviceKind.Sensor, tags: ["pipe"]),
            Device("ps-3", DeviceKind.Sensor, capabilities: ["leak"]),
            Device("tilt-1", DeviceKind.Sensor, capabilities: ["tilt"]),
        };
        var seen = new[] { Seen("ps-1", T0), Seen("ps-2", T0.AddHours(-2)), Seen("tilt-1", T0) };

        var row = Assess(ledger, seen, []).Total;

        Assert.That(row.PipeSensorsOnline, Is.EqualTo(new AssessmentFigure(1, 3, 0.3333)));
    }

    [Test]
    public void Figures_are_given_per_district_and_owner_and_a_figure_with_nothing_eligible_has_no_share()
    {
        var ledger = new[]
        {
            Device("wm-1", DeviceKind.WaterMeter, tenant: "water", district: "Jinshui"),
            Device("gm-1", DeviceKind.GasMeter, tenant: "gas", district: "Jinshui"),
            Device("wm-2", DeviceKind.WaterMeter, tenant: "water", district: "Erqi"),
            Device("env-1", DeviceKind.EnvironmentStation, tenant: "env", district: "Erqi"),
        };

        var assessment = Assess(ledger, [Seen("wm-1", T0), Seen("gm-1", T0), Seen("env-1", T0)], []);

        Assert.That(assessment.Rows.Select(r => (r.District, r.Tenant, r.MeterReporting.Counted, r.MeterReporting.Eligible)),
            Is.EqualTo(new[] { ("Erqi", "water", 0, 1), ("Jinshui", "gas", 1, 1), ("Jinshui", "water", 1, 1) }));
        Assert.That(assessment.Rows[0].SmartLighting, Is.EqualTo(new AssessmentFigure(0, 0, null)));
    }

    private PlanAssessment Assess(IReadOnlyList<LedgerDevice> ledger, IReadOnlyList<DeviceSummary> seen, IReadOnlyList<Contracts.Alarms.Alarm> alarms)
    {
        var assessor = new HealthAssessor(_options, new CadencePolicy(_options, new Dictionary<string, TimeSpan>()));
        var health = assessor.AssessAll(Snapshot(T0, ledger, seen, alarms: alarms));
        return new PlanFigures(_options).Assess(health, ledger, alarms, T0);
    }
}
