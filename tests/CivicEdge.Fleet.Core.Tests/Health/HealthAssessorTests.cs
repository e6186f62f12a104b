using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Health;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Fleet.Core.Tests.HealthFixtures;

namespace CivicEdge.Fleet.Core.Tests.Health;

[TestFixture]
[Category("Unit")]
public sealed class HealthAssessorTests
{
    private static readonly TimeSpan Cadence = TimeSpan.FromMinutes(10);

    private HealthOptions _options = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void Configure()
    {
        _options = new HealthOptions { Grace = TimeSpan.FromMinutes(1), OfflineAfterCadences = 3 };
        _options.Kinds["waterMeter"] = Cadence;
        _clock = new FakeTimeProvider(T0);
    }

    private HealthAssessor Assessor(IReadOnlyDictionary<string, TimeSpan>? profiles = null) =>
        new(_options, new CadencePolicy(_options, profiles ?? new Dictionary<string, TimeSpan>()));

    // Cadence 10 min, grace 1 min, offline after 3: online up to 11 min of silence, late up to 31 min, offline beyond.
    [TestCase(0, ConnectivityState.Online, DeviceVerdict.Ok)]
    [TestCase(11 * 60, ConnectivityState.Online, DeviceVerdict.Ok)]
    [TestCase(11 * 60 + 1, ConnectivityState.Late, DeviceVerdict.Degraded)]
    [TestCase(31 * 60, ConnectivityState.Late, DeviceVerdict.Degraded)]
    [TestCase(31 * 60 + 1, ConnectivityState.Offline, DeviceVerdict.Offline)]
    public void Connectivity_follows_the_time_since_the_device_was_last_heard_from_against_its_cadence(int silentSeconds, ConnectivityState state, DeviceVerdict verdict)
    {
        var lastSeen = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(silentSeconds));

        var status = Assessor().Assess(
            Snapshot(_clock.GetUtcNow(), [Device("wm-1", DeviceKind.WaterMeter)], [Seen("wm-1", lastSeen)]), "wm-1");

        Assert.That((status.State, status.Verdict, status.CadenceSeconds, status.CadenceOrigin), Is.EqualTo((state, verdict, 600.0, "kind")));
    }

    [Test]
    public void A_device_never_heard_from_is_unknown_and_says_so()
    {
        var status = Assessor().Assess(Snapshot(T0, [Device("wm-1", DeviceKind.WaterMeter)]), "wm-1");

        Assert.That((status.State, status.Verdict, status.LastSeen), Is.EqualTo((ConnectivityState.Unknown, DeviceVerdict.Unknown, (DateTimeOffset?)null)));
        Assert.That(status.Reasons.Single().Message, Is.EqualTo("never heard from"));
    }

    [Test]
    public void An_offline_device_says_when_it_was_last_heard_and_what_was_expected()
    {
        var status = Assessor().Assess(Snapshot(T0, [Device("wm-1", DeviceKind.WaterMeter)], [Seen("wm-1", T0.AddHours(-2))]), "wm-1");

        Assert.That(status.Reasons.Single(), Is.EqualTo(new HealthReason("offline", DeviceVerdict.Offline,
            "last heard 2 h ago (2026-11-22T08:00:00Z), expected every 10 min; offline after 3 missed")));
    }

    [Test]
    public void The_most_specific_cadence_wins_device_then_ledger_tag_then_kind_then_profile_then_default()
    {
        _options.Devices["a"] = TimeSpan.FromMinutes(1);
        _options.Kinds["gasMeter"] = TimeSpan.FromMinutes(30);
        var policy = new CadencePolicy(_options, new Dictionary<string, TimeSpan> { ["sdm630"] = TimeSpan.FromSeconds(10) });

        Assert.Multiple(() =>
        {
            Assert.That(policy.For("a", DeviceKind.GasMeter, "sdm630", ["cadence-2h"]), Is.EqualTo((TimeSpan.FromMinutes(1), "device")));
            Assert.That(policy.For("b", DeviceKind.GasMeter, "sdm630", ["pilot", "cadence-2h"]), Is.EqualTo((TimeSpan.FromHours(2), "ledger")));
            Assert.That(policy.For("b", DeviceKind.GasMeter, "sdm630", ["cadence-soon"]), Is.EqualTo((TimeSpan.FromMinutes(30), "kind")));
            Assert.That(policy.For("b", DeviceKind.EnergyMeter, "sdm630", []), Is.EqualTo((TimeSpan.FromSeconds(10), "profile")));
            Assert.That(policy.For("b", DeviceKind.EnergyMeter, "other", null), Is.EqualTo((TimeSpan.FromMinutes(15), "default")));
        });
    }

    [Test]
    public void A_device_its_gateway_cannot_reach_is_failing_with_the_gateways_words_and_its_last_answer_counts_as_heard()
    {
        var gateway = Device("gw-1", DeviceKind.Gateway);
        var meter = Device("wm-1", DeviceKind.WaterMeter, gateway: "gw-1");
        var report = Report("gw-1", T0.AddMinutes(-1), devices: Answer("wm-1", HealthVerdict.Failed, T0.AddMinutes(-5), "5 polls in a row without an answer"));

        var status = Assessor().Assess(Snapshot(T0, [gateway, meter], [Seen("wm-1", T0.AddHours(-3))], [report]), "wm-1");

        Assert.That((status.State, status.Verdict, status.LastSeen), Is.EqualTo((ConnectivityState.Online, DeviceVerdict.Failing, (DateTimeOffset?)T0.AddMinutes(-5))));
        Assert.That(status.Reasons.Single(), Is.EqualTo(new HealthReason("comm_errors", DeviceVerdict.Failing, "gateway gw-1: does not answer (5 polls in a row without an answer)")));
    }

    [Test]
    public void A_device_behind_a_silent_gateway_says_its_gateway_is_offline()
    {
        var status = Assessor().Assess(Snapshot(T0,
            [Device("gw-1", DeviceKind.Gateway), Device("wm-1", DeviceKind.WaterMeter, gateway: "gw-1")],
            [Seen("wm-1", T0.AddMinutes(-1)), Seen("gw-1", T0.AddHours(-5))]), "wm-1");

        Assert.That(status.Reasons.Select(r => (r.Code, r.Verdict)), Is.EqualTo(new[] { ("gateway_offline", DeviceVerdict.Degraded) }));
        Assert.That(status.Verdict, Is.EqualTo(DeviceVerdict.Degraded));
    }

    [Test]
    public void A_gateways_report_degrades_it_for_backlog_low_disk_a_failing_uplink_and_a_recent_restart_and_fails_it_for_a_disk_that_refuses_writes()
    {
        var report = Report("gw-1", T0, uptimeSeconds: 300) with
        {
            Outbox = [new OutboxHealth(Streams.Telemetry, 1204, 42 * 60, 5000, 3796, 0, Dropped: 7)],
            Disk = new DiskHealth("/data/gw.db", 50, 1000),
            Uplink = new UplinkHealth(true, T0, "connection refused", T0.AddMinutes(-3), 2),
        };
        var failingDisk = report with { Disk = new DiskHealth("/data/gw.db", 0, 1000, DiskCondition.DiskFull, T0, "No space left on device", 120) };

        var degraded = Assessor().Assess(Snapshot(T0, [Device("gw-1", DeviceKind.Gateway)], reports: [report]), "gw-1");
        var failing = Assessor().Assess(Snapshot(T0, [Device("gw-1", DeviceKind.Gateway)], reports: [failingDisk]), "gw-1");

        Assert.That(degraded.Verdict, Is.EqualTo(DeviceVerdict.Degraded));
        Assert.That(degraded.Reasons.Select(r => r.Message), Is.EqualTo(new[]
        {
            "outbox telemetry: 1,204 records waiting, the oldest 42 min old (more than 15 min)",
            "outbox telemetry: 7 records dropped while it was full",
            "disk /data/gw.db: 5 % free, less than 10 %",
            "uplink connected, 2 failed attempts, last error: connection refused",
            "restarted at 2026-11-22T09:55:00Z (running 1.4.0), within the last 24 h",
        }));
        Assert.That((failing.Verdict, failing.Reasons[0].Code, failing.Reasons[0].Message),
            Is.EqualTo((DeviceVerdict.Failing, "disk", "disk /data/gw.db: DiskFull (No space left on device), 120 records held in memory")));
    }

    [Test]
    public void Open_alarms_count_comm_lost_and_critical_ones_fail_major_ones_degrade_and_the_fleets_own_offline_alarm_is_left_out()
    {
        Assert.Multiple(() =>
        {
            Assert.That(VerdictWith(OpenAlarm(1, "wm-1", "comm_lost", EventSeverity.Warning)), Is.EqualTo((DeviceVerdict.Failing, "comm_lost")));
            Assert.That(VerdictWith(OpenAlarm(1, "wm-1", "pressure.lowLow", EventSeverity.Critical)), Is.EqualTo((DeviceVerdict.Failing, "open_alarm")));
            Assert.That(VerdictWith(OpenAlarm(1, "wm-1", "pressure.low", EventSeverity.Major)), Is.EqualTo((DeviceVerdict.Degraded, "open_alarm")));
            Assert.That(VerdictWith(OpenAlarm(1, "wm-1", "door_open", EventSeverity.Warning)), Is.EqualTo((DeviceVerdict.Ok, (string?)null)));
            Assert.That(VerdictWith(OpenAlarm(1, "wm-1", "offline", EventSeverity.Critical, Contracts.Alarms.AlarmSource.Fleet)), Is.EqualTo((DeviceVerdict.Ok, (string?)null)));
        });

        (DeviceVerdict, string?) VerdictWith(Contracts.Alarms.Alarm alarm)
        {
            var status = Assessor().Assess(Snapshot(T0, [Device("wm-1", DeviceKind.WaterMeter)], [Seen("wm-1", T0)], alarms: [alarm]), "wm-1");
            return (status.Verdict, status.Reasons.FirstOrDefault()?.Code);
        }
    }

    [Test]
    public void Values_without_a_fresh_reading_degrade_a_device_and_fail_it_when_none_is_fresh()
    {
        var some = Values(("flow", 1.5, Quality.Good), ("pressure", 3.1, Quality.CommError));
        var none = Values(("flow", 1.5, Quality.Stale), ("pressure", 3.1, Quality.CommError));

        var degraded = Assessor().Assess(Snapshot(T0, [Device("wm-1", DeviceKind.WaterMeter)], [Seen("wm-1", T0)], values: some), "wm-1");
        var failing = Assessor().Assess(Snapshot(T0, [Device("wm-1", DeviceKind.WaterMeter)], [Seen("wm-1", T0)], values: none), "wm-1");

        Assert.That(degraded.Reasons.Single(), Is.EqualTo(new HealthReason("quality", DeviceVerdict.Degraded, "1 of 2 points without a fresh reading: pressure commError")));
        Assert.That(failing.Verdict, Is.EqualTo(DeviceVerdict.Failing));
    }

    [Test]
    public void A_supply_voltage_outside_its_configured_range_degrades_the_device()
    {
        _options.SupplyVoltage["battery_voltage"] = new VoltageRange { Min = 3.3 };
        var values = Values(("battery_voltage", 3.05, Quality.Good), ("flow", 1, Quality.Good));

        var status = Assessor().Assess(Snapshot(T0, [Device("wm-1", DeviceKind.WaterMeter)], [Seen("wm-1", T0)], values: values), "wm-1");

        Assert.That(status.Reasons.Single(), Is.EqualTo(new HealthReason("supply_voltage", DeviceVerdict.Degraded, "battery_voltage 3.05 V, below 3.3 V")));
    }

    [Test]
    public void Firmware_that_differs_from_what_most_devices_of_its_model_run_or_from_the_configured_target_is_drift()
    {
        var ledger = new[]
        {
            Device("a", DeviceKind.WaterMeter, model: "wm-x", firmware: "2.1"),
            Device("b", DeviceKind.WaterMeter, model: "wm-x", firmware: "2.1"),
            Device("c", DeviceKind.WaterMeter, model: "wm-x", firmware: "1.9"),
            Device("d", DeviceKind.GasMeter, model: "gm-y", firmware: "1.0"),
            Device("e", DeviceKind.GasMeter, model: "gm-y", firmware: "1.1"),
        };
        var seen = ledger.Select(d => Seen(d.Code, T0)).ToList();

        var drift = Assessor().AssessAll(Snapshot(T0, ledger, seen)).Where(s => s.Reasons.Count > 0).ToList();
        _options.TargetFirmware["gm-y"] = "1.1";
        var configured = Assessor().AssessAll(Snapshot(T0, ledger, seen, options: _options)).Where(s => s.Reasons.Count > 0).ToList();

        Assert.That(drift.Select(s => (s.Device, s.Reasons.Single().Message)), Is.EqualTo(new[] { ("c", "runs firmware 1.9; most wm-x devices run 2.1 (2 of 3)") }));
        Assert.That(configured.Select(s => (s.Device, s.Reasons.Single().Message)), Is.EqualTo(new[]
        {
            ("c", "runs firmware 1.9; most wm-x devices run 2.1 (2 of 3)"),
            ("d", "runs firmware 1.0; gm-y should run 1.1"),
        }));
    }

    [Test]
    public void The_whole_fleet_holds_ledger_devices_unregistered_ones_seen_in_telemetry_and_reporting_gateways_but_not_decommissioned_ones()
    {
        var all = Assessor().AssessAll(Snapshot(T0,
            [Device("wm-1", DeviceKind.WaterMeter), Device("wm-old", DeviceKind.WaterMeter, state: LifecycleState.Decommissioned)],
            [Seen("stray", T0), Seen("wm-old", T0)],
            [Report("gw-9", T0)]));

        Assert.That(all.Select(s => (s.Device, s.Registered)), Is.EqualTo(new[] { ("gw-9", false), ("stray", false), ("wm-1", true) }));
    }

    [Test]
    public void Roll_ups_count_states_and_verdicts_in_total_and_by_tenant_district_and_kind()
    {
        var ledger = new[]
        {
            Device("wm-1", DeviceKind.WaterMeter, tenant: "water", district: "Jinshui"),
            Device("wm-2", DeviceKind.WaterMeter, tenant: "water", district: "Erqi"),
            Device("gm-1", DeviceKind.GasMeter, tenant: "gas", district: "Erqi"),
        };
        var devices = Assessor().AssessAll(Snapshot(T0, ledger, [Seen("wm-1", T0), Seen("wm-2", T0.AddMinutes(-20)), Seen("stray", T0)]));

        var rollup = HealthRollups.Build(devices, T0);

        Assert.That(rollup.Total, Is.EqualTo(new HealthCounts("all", 4, 2, 1, 0, 1, 2, 1, 0, 0, 1)));
        Assert.That(rollup.ByTenant.Select(c => (c.Key, c.Devices)), Is.EqualTo(new[] { ("(none)", 1), ("gas", 1), ("water", 2) }));
        Assert.That(rollup.ByDistrict.Select(c => (c.Key, c.Devices, c.Online, c.Late)), Is.EqualTo(new[] { ("(none)", 1, 1, 0), ("Erqi", 2, 0, 1), ("Jinshui", 1, 1, 0) }));
        Assert.That(rollup.ByKind.Select(c => (c.Key, c.Devices, c.UnknownVerdict)), Is.EqualTo(new[] { ("(none)", 1, 0), ("gasMeter", 1, 1), ("waterMeter", 2, 0) }));
    }

    private static Dictionary<string, IReadOnlyList<LatestValue>> Values(params (string Point, double Value, Quality Quality)[] values) => new(StringComparer.Ordinal)
    {
        ["wm-1"] = values.Select(v => new LatestValue(v.Point, v.Value, "V", null, v.Quality, T0)).ToList(),
    };
}
