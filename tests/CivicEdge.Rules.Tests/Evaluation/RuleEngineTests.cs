using CivicEdge.Hardware;
using CivicEdge.Rules.Evaluation;
using CivicEdge.Rules.Tests.Support;

namespace CivicEdge.Rules.Tests.Evaluation;

[Category("Unit")]
public sealed class RuleEngineTests
{
    private const string Lamp = """
        schema: civicedge.rules/v1
        id: test
        version: 1
        devices:
          lamp: { model: civicedge-slc1, id: pole-0001 }
          meter: { model: eastron-sdm630, id: em-0001, staleAfter: 1m }
        virtual:
          night_mode: 0
          stage: 0
        rules:

        """;

    private static RuleRig Rig(string rules, RuleEngineOptions? options = null, DateTimeOffset? start = null) => new(Lamp + rules, options: options, start: start);

    private const string LampFailure = """
          - id: lamp-failure
            when: lamp.lamp_relay == 1 and lamp.lamp_current < 0.05
            for: 20s
            hysteresis: 0.02
            then:
              - raise: { alarm: lamp_failure, severity: major, message: "Lamp {device} draws {lamp.lamp_current} A ({rule})" }

        """;

    [Test]
    public void A_reading_evaluates_only_the_rules_that_read_its_point()
    {
        var rig = Rig(LampFailure + """
              - id: hot-driver
                when: lamp.driver_temperature > 85
                then:
                  - raise: { alarm: hot }
            """);

        rig.Read("pole-0001", "driver_temperature", 40);
        rig.Read("pole-0001", "driver_temperature", 41);
        var afterTemperature = rig.Engine.Counters.Evaluations;
        rig.Read("pole-0001", "lamp_current", 1.2);

        Assert.That(afterTemperature, Is.EqualTo(2));
        Assert.That(rig.Engine.Counters.Evaluations, Is.EqualTo(3));
    }

    [Test]
    public void A_reading_that_does_not_change_the_value_evaluates_nothing()
    {
        var rig = Rig(LampFailure);
        rig.Read("pole-0001", "lamp_current", 1.2);

        rig.Read("pole-0001", "lamp_current", 1.2);

        Assert.That(rig.Engine.Counters.Evaluations, Is.EqualTo(1));
    }

    [Test]
    public void An_alarm_is_raised_only_once_the_condition_has_held_for_its_duration_and_then_only_once()
    {
        var rig = Rig(LampFailure);
        rig.Read("pole-0001", "lamp_relay", 1);
        rig.Read("pole-0001", "lamp_current", 0.01);

        rig.Advance(TimeSpan.FromSeconds(19));
        Assert.That(rig.Recorder.Intents, Is.Empty, "not yet");
        rig.Advance(TimeSpan.FromSeconds(1));
        rig.Read("pole-0001", "lamp_current", 0.02);
        rig.Advance(TimeSpan.FromSeconds(30));

        var raised = rig.Recorder.Of<RaiseAlarm>().Single();
        Assert.That(raised, Is.EqualTo(new RaiseAlarm("lamp-failure", RuleRig.Start.AddSeconds(20), "pole-0001", "lamp_failure", AlarmSeverity.Major,
            "Lamp pole-0001 draws 0.01 A (lamp-failure)")));
        Assert.That(rig.Engine.ActiveAlarms.Single().State, Is.EqualTo(AlarmState.Raised));
    }

    [Test]
    public void A_condition_that_breaks_before_its_duration_raises_nothing()
    {
        var rig = Rig(LampFailure);
        rig.Read("pole-0001", "lamp_relay", 1);
        rig.Read("pole-0001", "lamp_current", 0.01);
        rig.Advance(TimeSpan.FromSeconds(15));
        rig.Read("pole-0001", "lamp_current", 0.5);
        rig.Advance(TimeSpan.FromSeconds(10));
        rig.Read("pole-0001", "lamp_current", 0.01);
        rig.Advance(TimeSpan.FromSeconds(15));

        Assert.That(rig.Recorder.Intents, Is.Empty, "the duration starts again from the second failure");
        Assert.That(rig.Engine.NextDue, Is.EqualTo(rig.Clock.GetUtcNow().AddSeconds(5)));
    }

    [Test]
    public void Hysteresis_keeps_an_active_rule_until_the_value_is_back_past_the_threshold_by_that_much()
    {
        var rig = Rig(LampFailure);
        rig.Read("pole-0001", "lamp_relay", 1);
        rig.Read("pole-0001", "lamp_current", 0.01);
        rig.Advance(TimeSpan.FromSeconds(20));

        rig.Read("pole-0001", "lamp_current", 0.06);
        Assert.That(rig.Engine.IsActive("lamp-failure"), Is.True, "0.06 is within 0.05 + 0.02");
        rig.Read("pole-0001", "lamp_current", 0.08);

        Assert.That(rig.Engine.IsActive("lamp-failure"), Is.False);
        Assert.That(rig.Recorder.Of<ClearAlarm>().Single(), Is.EqualTo(new ClearAlarm("lamp-failure", RuleRig.Start.AddSeconds(20), "pole-0001", "lamp_failure", false)));
        Assert.That(rig.Engine.ActiveAlarms, Is.Empty);
    }

    [Test]
    public void An_alarm_goes_raised_then_acknowledged_from_the_fleet_then_cleared_with_each_transition_emitted_once()
    {
        var rig = Rig(LampFailure.Replace("for: 20s", "for: 0s", StringComparison.Ordinal));
        rig.Read("pole-0001", "lamp_relay", 1);
        rig.Read("pole-0001", "lamp_current", 0.01);

        Assert.That(rig.Engine.Acknowledge("pole-0001", "lamp_failure", "operator@city"), Is.True);
        Assert.That(rig.Engine.Acknowledge("pole-0001", "lamp_failure", "operator@city"), Is.True, "acknowledging twice is harmless");
        Assert.That(rig.Engine.ActiveAlarms.Single().State, Is.EqualTo(AlarmState.Acknowledged));
        rig.Read("pole-0001", "lamp_current", 0.02);
        rig.Read("pole-0001", "lamp_current", 0.9);

        Assert.That(rig.Recorder.Intents.Select(i => i.GetType().Name), Is.EqualTo(new[] { "RaiseAlarm", "AcknowledgeAlarm", "ClearAlarm" }));
        Assert.That(rig.Recorder.Of<AcknowledgeAlarm>().Single().By, Is.EqualTo("operator@city"));
        Assert.That(rig.Recorder.Of<ClearAlarm>().Single().WasAcknowledged, Is.True);
    }

    [Test]
    public void Acknowledging_an_alarm_that_is_not_active_changes_nothing_and_is_counted()
    {
        var rig = Rig(LampFailure);

        Assert.That(rig.Engine.Acknowledge("pole-0001", "lamp_failure"), Is.False);
        Assert.That(rig.Engine.Counters.AcknowledgementsIgnored, Is.EqualTo(1));
        Assert.That(rig.Recorder.Intents, Is.Empty);
    }

    [Test]
    public void A_bad_reading_makes_the_condition_unknown_and_the_rule_keeps_its_state()
    {
        var rig = Rig(LampFailure.Replace("for: 20s", "for: 0s", StringComparison.Ordinal));
        rig.Read("pole-0001", "lamp_relay", 1);
        rig.Read("pole-0001", "lamp_current", 0.01);

        rig.Engine.Update("pole-0001", "lamp_current", 0, ReadingQuality.Bad, rig.Clock.GetUtcNow());

        Assert.That(rig.Engine.IsActive("lamp-failure"), Is.True);
        Assert.That(rig.Engine.Counters.UnknownConditions, Is.EqualTo(2), "the bad reading, and the relay's before the current was read");
        Assert.That(rig.Recorder.Of<ClearAlarm>(), Is.Empty);
    }

    [Test]
    public void A_rule_stays_unknown_until_every_point_it_reads_has_a_value()
    {
        var rig = Rig(LampFailure.Replace("for: 20s", "for: 0s", StringComparison.Ordinal));

        rig.Read("pole-0001", "lamp_current", 0.01);

        Assert.That(rig.Engine.Counters.UnknownConditions, Is.EqualTo(1));
        Assert.That(rig.Recorder.Intents, Is.Empty);
    }

    [Test]
    public void A_device_silent_for_its_stale_after_is_lost_and_found_again_at_its_next_good_reading()
    {
        var rig = Rig("""
              - id: meter-lost
                when: is_stale(meter)
                then:
                  - raise: { alarm: meter_lost, severity: major }
            """);
        rig.Advance(TimeSpan.FromSeconds(30));
        rig.Engine.Update("em-0001", "frequency", 50, ReadingQuality.Good, rig.Clock.GetUtcNow());

        rig.Advance(TimeSpan.FromSeconds(59));
        Assert.That(rig.Recorder.Intents, Is.Empty, "a reading of a point no rule reads still shows the meter talks");
        rig.Advance(TimeSpan.FromSeconds(1));
        Assert.That(rig.Recorder.Of<RaiseAlarm>().Single().At, Is.EqualTo(RuleRig.Start.AddSeconds(90)));

        rig.Engine.Update("em-0001", "voltage_l1", 230, ReadingQuality.Bad, rig.Clock.GetUtcNow());
        Assert.That(rig.Recorder.Of<ClearAlarm>(), Is.Empty, "a bad reading is no sign of a working link");
        rig.Engine.Update("em-0001", "voltage_l1", 230, ReadingQuality.Good, rig.Clock.GetUtcNow());
        Assert.That(rig.Recorder.Of<ClearAlarm>().Single().Alarm, Is.EqualTo("meter_lost"));
        Assert.That(rig.Engine.Counters.UnusedReadings, Is.EqualTo(3));
    }

    [Test]
    public void The_acquisition_can_report_a_lost_device_at_once()
    {
        var rig = Rig("""
              - id: meter-lost
                when: is_stale(meter)
                then:
                  - raise: { alarm: meter_lost }
            """);

        rig.Engine.ReportCommunication("em-0001", lost: true);
        rig.Engine.ReportCommunication("em-0001", lost: false);

        Assert.That(rig.Recorder.Intents.Select(i => i.GetType().Name), Is.EqualTo(new[] { "RaiseAlarm", "ClearAlarm" }));
    }

    [Test]
    public void Avg_is_time_weighted_over_the_window_with_each_reading_held_until_the_next()
    {
        var rig = Rig("""
              - id: high-average
                when: avg(lamp.lamp_power, 10m) > 100
                then:
                  - publish: { event: high, device: lamp, message: "{avg(lamp.lamp_power, 10m)}" }
            """);
        rig.Read("pole-0001", "lamp_power", 40);
        rig.AdvanceCoarsely(TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(10));
        rig.Read("pole-0001", "lamp_power", 200);
        rig.AdvanceCoarsely(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        Assert.That(rig.Recorder.Intents, Is.Empty, "8 minutes: (6 x 40 + 2 x 200) / 8 = 80");

        rig.AdvanceCoarsely(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(10));

        // T minutes in, the average is (6 x 40 + (T - 6) x 200) / T, which passes 100 at T = 9.6.
        var published = rig.Recorder.Of<PublishEvent>().Single();
        Assert.That(published.At, Is.InRange(RuleRig.Start.AddMinutes(9.5), RuleRig.Start.AddMinutes(10)));
        Assert.That(double.Parse(published.Message, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(100, 102));
    }

    [Test]
    public void Rate_gives_the_change_per_second_over_the_window()
    {
        var rig = Rig("""
              - id: fast-rise
                when: rate(lamp.driver_temperature, 1m) > 0.1
                then:
                  - publish: { event: rising, device: lamp, message: "{rate(lamp.driver_temperature, 1m)}" }
            """);
        rig.Read("pole-0001", "driver_temperature", 40);
        rig.AdvanceCoarsely(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        rig.Read("pole-0001", "driver_temperature", 43); // +3 K in the last minute: 0.05 K/s
        Assert.That(rig.Recorder.Intents, Is.Empty);

        rig.AdvanceCoarsely(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        rig.Read("pole-0001", "driver_temperature", 49); // +9 K within the minute: 0.15 K/s

        Assert.That(rig.Recorder.Of<PublishEvent>().Single().Message, Is.EqualTo("0.15"));
    }

    [Test]
    public void Since_change_counts_seconds_since_the_value_last_changed_and_is_checked_on_each_tick()
    {
        var rig = Rig("""
              - id: relay-stuck
                when: lamp.lamp_relay == 1 and since_change(lamp.lamp_relay) >= 3600
                then:
                  - raise: { alarm: lamp_on_for_an_hour, severity: info }
            """);
        rig.Read("pole-0001", "lamp_relay", 1);
        rig.AdvanceCoarsely(TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(1));
        rig.Read("pole-0001", "lamp_relay", 1);
        Assert.That(rig.Recorder.Intents, Is.Empty, "the same value again is no change");

        rig.AdvanceCoarsely(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        Assert.That(rig.Recorder.Of<RaiseAlarm>().Single().At, Is.EqualTo(RuleRig.Start.AddHours(1)));
    }

    [Test]
    public void A_cron_rule_acts_at_its_local_times_taking_then_or_else_by_its_condition()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var rig = Rig("""
              - id: dim-after-midnight
                trigger: { cron: "0 1 * * *" }
                when: virtual.night_mode == 0
                then:
                  - write: { point: lamp.dimming_level, value: 50 }
                else:
                  - write: { point: lamp.dimming_level, value: 30 }
            """, new RuleEngineOptions { TimeZone = berlin });

        rig.AdvanceCoarsely(TimeSpan.FromHours(12), TimeSpan.FromMinutes(1)); // 12:00 UTC to 00:00 UTC = 02:00 CEST

        Assert.That(rig.Recorder.Of<WritePoint>().Single(), Is.EqualTo(new WritePoint("dim-after-midnight", RuleRig.Start.AddHours(11), "pole-0001", "dimming_level", 50)));
    }

    [Test]
    public void A_sun_rule_dims_the_lamp_at_sunset_plus_its_offset_on_the_injected_clock()
    {
        var options = new RuleEngineOptions { Latitude = 51.5074, Longitude = -0.1278 };
        var rig = Rig("""
              - id: evening
                trigger: { sun: sunset, offset: 30m }
                then:
                  - write: { point: lamp.dimming_level, value: 70 }
                  - set: { point: night_mode, value: 1 }
            """, options, start: new DateTimeOffset(2024, 6, 21, 12, 0, 0, TimeSpan.Zero));

        rig.AdvanceCoarsely(TimeSpan.FromHours(12), TimeSpan.FromMinutes(1));

        // London's sunset on 21 June 2024 is 21:21 BST, 20:21 UTC: the write comes at the first tick after 20:51 UTC.
        var write = rig.Recorder.Of<WritePoint>().Single();
        Assert.That(write.At, Is.InRange(new DateTimeOffset(2024, 6, 21, 20, 50, 0, TimeSpan.Zero), new DateTimeOffset(2024, 6, 21, 20, 53, 0, TimeSpan.Zero)));
        Assert.That(write.Value, Is.EqualTo(70));
        Assert.That(rig.Recorder.Of<SetVirtualPoint>().Single().Value, Is.EqualTo(1));
    }

    [Test]
    public void Daylight_follows_the_sun_at_the_gateways_location()
    {
        var options = new RuleEngineOptions { Latitude = 51.5074, Longitude = -0.1278 };
        var rig = Rig("""
              - id: lit-in-daylight
                when: lamp.lamp_on and daylight()
                then:
                  - raise: { alarm: lit_in_daylight }
            """, options, start: new DateTimeOffset(2024, 6, 21, 19, 0, 0, TimeSpan.Zero));
        rig.Read("pole-0001", "lamp_on", 1);
        Assert.That(rig.Engine.ActiveAlarms, Has.Count.EqualTo(1), "19:00 UTC is daylight in London in June");

        rig.AdvanceCoarsely(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));

        Assert.That(rig.Recorder.Of<ClearAlarm>().Single().At, Is.InRange(new DateTimeOffset(2024, 6, 21, 20, 21, 0, TimeSpan.Zero), new DateTimeOffset(2024, 6, 21, 20, 23, 0, TimeSpan.Zero)));
    }

    [Test]
    public void While_active_a_written_value_that_follows_its_inputs_is_written_again_only_past_the_deadband()
    {
        var rig = Rig("""
              - id: follow
                when: lamp.lamp_voltage > 0
                deadband: 1
                then:
                  - write: { point: lamp.dimming_level, value: lamp.lamp_voltage / 10 }
            """);

        foreach (var volts in new[] { 230.0, 235, 240, 245, 253, 0, 231 })
            rig.Read("pole-0001", "lamp_voltage", volts);

        // 23 written; 23.5 and 24 are within 1 of it; 24.5 is past it; 25.3 within 1 of 24.5; then off, and on again.
        Assert.That(rig.Recorder.Of<WritePoint>().Select(w => w.Value), Is.EqualTo(new[] { 23, 24.5, 23.1 }));
    }

    [Test]
    public void A_virtual_point_set_by_one_rule_triggers_the_rules_that_read_it()
    {
        var rig = Rig("""
              - id: night
                when: lamp.lamp_relay == 1
                then:
                  - set: { point: night_mode, value: 1 }
                else:
                  - set: { point: night_mode, value: 0 }
              - id: night-dimming
                when: virtual.night_mode == 1
                then:
                  - write: { point: lamp.dimming_level, value: 40 }
            """);

        rig.Read("pole-0001", "lamp_relay", 1);

        Assert.That(rig.Recorder.Intents.Select(i => i.GetType().Name), Is.EqualTo(new[] { "SetVirtualPoint", "WritePoint" }));
    }

    [Test]
    public void Rules_that_set_each_others_points_in_a_loop_are_cut_off_and_counted()
    {
        var rig = Rig("""
              - id: kick
                when: lamp.lamp_relay == 1
                then:
                  - set: { point: stage, value: 1 }
              - id: up
                when: virtual.stage > 0
                then:
                  - set: { point: night_mode, value: virtual.stage + 1 }
              - id: back
                when: virtual.night_mode > 0
                then:
                  - set: { point: stage, value: virtual.night_mode + 1 }
            """, new RuleEngineOptions { MaxCascade = 8 });

        rig.Read("pole-0001", "lamp_relay", 1);

        Assert.That(rig.Engine.Counters.CascadesCut, Is.EqualTo(1));
        Assert.That(rig.Recorder.Of<SetVirtualPoint>().Select(s => s.Value), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
    }

    [Test]
    public void A_write_whose_value_is_unknown_is_not_made_and_is_counted()
    {
        var rig = Rig("""
              - id: copy
                when: lamp.lamp_relay == 1
                then:
                  - write: { point: lamp.dimming_level, value: lamp.lamp_power / 5 }
            """);

        rig.Read("pole-0001", "lamp_relay", 1);

        Assert.That(rig.Recorder.Intents, Is.Empty);
        Assert.That(rig.Engine.Counters.UnknownValues, Is.EqualTo(1));
    }

    [Test]
    public void A_template_is_bound_to_a_device_code_when_it_is_compiled()
    {
        const string template = """
            schema: civicedge.rules/v1
            id: t
            version: 1
            devices:
              lamp: { model: civicedge-slc1 }
            rules:
              - id: on
                when: lamp.lamp_on
                then:
                  - raise: { alarm: lit }
            """;

        var e = Assert.Throws<ArgumentException>(() => new RuleRig(template));
        Assert.That(e.Message, Does.StartWith("The rule set names device 'lamp' (model civicedge-slc1) without an id, and the binding gives none"));

        var rig = new RuleRig(template, new Dictionary<string, string> { ["lamp"] = "pole-0042" });
        rig.Read("pole-0042", "lamp_on", 1);
        Assert.That(rig.Recorder.Of<RaiseAlarm>().Single().DeviceId, Is.EqualTo("pole-0042"));
    }

    [Test]
    public void Evaluating_a_rule_allocates_nothing()
    {
        var rig = Rig(LampFailure + """
              - id: window
                when: avg(lamp.lamp_power, 5m) > 1000 or rate(lamp.lamp_power, 1m) > 1000 or since_change(lamp.lamp_power) > 1e9
                then:
                  - raise: { alarm: x }
            """);
        rig.Read("pole-0001", "lamp_relay", 1);
        Assert.That(rig.Engine.TryGetSlot("pole-0001", "lamp_current", out var current), Is.True);
        Assert.That(rig.Engine.TryGetSlot("pole-0001", "lamp_power", out var power), Is.True);
        var at = rig.Clock.GetUtcNow();
        for (var i = 0; i < 100; i++)
        {
            rig.Engine.Update(current, 1 + (i % 2), ReadingQuality.Good, at);
            rig.Engine.Update(power, 100 + (i % 2), ReadingQuality.Good, at.AddSeconds(i));
        }
        var evaluations = rig.Engine.Counters.Evaluations;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            rig.Engine.Update(current, 1 + (i % 2), ReadingQuality.Good, at);
            rig.Engine.Update(power, 100 + (i % 2), ReadingQuality.Good, at.AddSeconds(100 + i));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(rig.Engine.Counters.Evaluations - evaluations, Is.EqualTo(20_000));
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Readings_a_full_window_drops_and_readings_older_than_the_newest_are_counted_not_lost_silently()
    {
        var rig = Rig("""
              - id: average
                when: avg(lamp.lamp_power, 1h) > 1000
                then:
                  - raise: { alarm: x }
            """, new RuleEngineOptions { WindowCapacity = 4 });
        var start = rig.Clock.GetUtcNow();

        for (var i = 0; i < 6; i++)
            rig.Engine.Update("pole-0001", "lamp_power", 40 + i, ReadingQuality.Good, start.AddSeconds(i));
        rig.Engine.Update("pole-0001", "lamp_power", 10, ReadingQuality.Good, start.AddSeconds(-5));

        Assert.That(rig.Engine.Counters.WindowOverflows, Is.EqualTo(2));
        Assert.That(rig.Engine.Counters.OutOfOrderReadings, Is.EqualTo(1));
    }

    [Test]
    public void Doubled_braces_in_a_message_are_literal_braces()
    {
        var rig = Rig("""
              - id: braces
                when: lamp.lamp_on == 1
                then:
                  - publish: { event: e, device: lamp, message: "{{lamp}} {device}: {lamp.lamp_on * 2}" }
            """);

        rig.Read("pole-0001", "lamp_on", 1);

        Assert.That(rig.Recorder.Of<PublishEvent>().Single().Message, Is.EqualTo("{lamp} pole-0001: 2"));
    }

    [Test]
    public void An_alarm_two_rules_raise_belongs_to_the_first_and_only_its_return_to_normal_clears_it()
    {
        var rig = Rig("""
              - id: too-hot
                when: lamp.driver_temperature > 85
                then:
                  - raise: { alarm: driver_fault }
              - id: throttled
                when: lamp.driver_overtemperature == 1
                then:
                  - raise: { alarm: driver_fault }
            """);

        rig.Read("pole-0001", "driver_temperature", 90);
        rig.Read("pole-0001", "driver_overtemperature", 1);
        rig.Read("pole-0001", "driver_overtemperature", 0);
        Assert.That(rig.Engine.ActiveAlarms.Single().RuleId, Is.EqualTo("too-hot"));
        rig.Read("pole-0001", "driver_temperature", 70);

        Assert.That(rig.Recorder.Intents.Select(i => i.GetType().Name), Is.EqualTo(new[] { "RaiseAlarm", "ClearAlarm" }));
        Assert.That(rig.Recorder.Of<ClearAlarm>().Single().RuleId, Is.EqualTo("too-hot"));
    }
}
