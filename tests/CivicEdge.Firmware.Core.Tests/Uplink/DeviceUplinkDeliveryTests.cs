using System.Text.Json;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Host;
using CivicEdge.Fleet.Contracts;
using EventSeverity = CivicEdge.Firmware.Core.Uplink.EventSeverity;
using EventState = CivicEdge.Fleet.Contracts.EventState;

namespace CivicEdge.Firmware.Core.Tests.Uplink;

/// <summary>The outbox: records leave only on the fleet's persisted acknowledgement, in order, across reconnects and reboots.</summary>
[Category("Unit")]
public sealed class DeviceUplinkDeliveryTests
{
    private static List<long> Sent(UplinkRig rig, string suffix = "/telemetry") =>
        rig.Link.On(rig.Topic(suffix))
            .SelectMany(m => suffix == "/events"
                ? JsonSerializer.Deserialize(m.Payload, ContractsJson.Default.EventBatch)!.Records.Select(r => r.Seq)
                : JsonSerializer.Deserialize(m.Payload, ContractsJson.Default.TelemetryBatch)!.Records.Select(r => r.Seq))
            .ToList();

    private static void Report(UplinkRig rig, int count)
    {
        for (var i = 0; i < count; i++)
            rig.Uplink.ReportPoint("lamp_current", 0.4 + (i / 100.0), "A", "current", PointQuality.Good);
    }

    [Test]
    public void Records_stay_in_the_outbox_after_the_broker_took_them_until_the_fleet_says_it_persisted_them()
    {
        var rig = new UplinkRig();
        Report(rig, 3);
        rig.Uplink.Poll();
        Assert.That(Sent(rig), Is.EqualTo(new[] { 1L, 2L, 3L }));
        Assert.That(rig.Uplink.Telemetry.Count, Is.EqualTo(3));

        rig.Ack(Streams.Telemetry, 1, 3);
        rig.Step(TimeSpan.FromMilliseconds(10));

        Assert.That(rig.Uplink.Telemetry.Count, Is.Zero);
        Assert.That(rig.Uplink.Telemetry.Delivered, Is.EqualTo(3));
    }

    [Test]
    public void The_next_batch_waits_for_the_acknowledgement_of_the_one_in_flight()
    {
        var rig = new UplinkRig();
        Report(rig, 2);
        rig.Uplink.Poll();
        Report(rig, 2);
        rig.Step(TimeSpan.FromSeconds(1));
        Assert.That(Sent(rig), Is.EqualTo(new[] { 1L, 2L }));

        rig.Ack(Streams.Telemetry, 1, 2);
        rig.Step(TimeSpan.FromSeconds(1));
        Assert.That(Sent(rig), Is.EqualTo(new[] { 1L, 2L, 3L, 4L }));
    }

    [Test]
    public void A_batch_without_acknowledgement_is_sent_again_after_the_timeout()
    {
        var rig = new UplinkRig(o => o.AckTimeoutMilliseconds = 5000);
        Report(rig, 2);
        rig.Uplink.Poll();
        rig.Step(TimeSpan.FromSeconds(4));
        Assert.That(Sent(rig), Is.EqualTo(new[] { 1L, 2L }));

        rig.Step(TimeSpan.FromSeconds(2));
        Assert.That(Sent(rig), Is.EqualTo(new[] { 1L, 2L, 1L, 2L }));
        Assert.That(rig.Uplink.Resent, Is.EqualTo(1));
    }

    [Test]
    public void A_rejected_batch_leaves_the_outbox_counted_as_quarantined()
    {
        var rig = new UplinkRig();
        Report(rig, 2);
        rig.Uplink.Poll();
        rig.Ack(Streams.Telemetry, 1, 2, "rejected", "points[0].unit: expected a unit");
        rig.Step(TimeSpan.FromSeconds(1));

        Assert.That((rig.Uplink.Telemetry.Count, rig.Uplink.Telemetry.Quarantined, rig.Uplink.Telemetry.Delivered), Is.EqualTo((0, 2L, 0L)));
    }

    [Test]
    public void After_a_lost_connection_the_device_reconnects_with_doubling_waits_and_sends_everything_again_in_order()
    {
        var rig = new UplinkRig(o =>
        {
            o.ReconnectMinMilliseconds = 1000;
            o.ReconnectMaxMilliseconds = 4000;
        });
        Report(rig, 2);
        rig.Uplink.Poll();
        rig.Link.Drop();
        rig.Link.Reachable = false;
        Report(rig, 1);
        for (var i = 0; i < 120; i++)
            rig.Step(TimeSpan.FromMilliseconds(100));

        // Attempts at 0 (connected), then on losing it at 0.1 s, and 1, 2, 4, 4 s apart.
        Assert.That(rig.Link.ConnectAttempts, Is.EqualTo(new long[] { 0, 100, 1100, 3100, 7100, 11100 }));
        Assert.That(rig.Uplink.FailedAttempts, Is.EqualTo(5));

        rig.Link.Reachable = true;
        for (var i = 0; i < 40; i++)
            rig.Step(TimeSpan.FromMilliseconds(100));
        Assert.That(rig.Uplink.IsConnected, Is.True);
        Assert.That(Sent(rig), Is.EqualTo(new[] { 1L, 2L, 1L, 2L, 3L }));
        Assert.That(rig.Link.On(rig.Topic("/state")).Count(), Is.EqualTo(2), "a birth message on each connection");
    }

    [Test]
    public void When_the_outbox_is_full_the_oldest_records_give_way_and_are_counted()
    {
        var rig = new UplinkRig(o =>
        {
            o.TelemetryRecords = 5;
            o.TelemetryBytes = 4096;
        });
        rig.Link.Reachable = false;
        Report(rig, 8);

        Assert.That(rig.Uplink.Telemetry.Count, Is.EqualTo(5));
        Assert.That(rig.Uplink.Telemetry.Dropped, Is.EqualTo(3));
        rig.Link.Reachable = true;
        rig.Uplink.Poll();
        Assert.That(Sent(rig), Is.EqualTo(new[] { 4L, 5L, 6L, 7L, 8L }));
    }

    [Test]
    public void Records_dropped_in_an_overflow_are_reported_by_one_event_once_the_outbox_drains()
    {
        var rig = new UplinkRig(o => o.TelemetryRecords = 10);
        rig.Link.Reachable = false;
        Report(rig, 14);
        rig.Step(TimeSpan.FromSeconds(1));
        Assert.That(rig.Uplink.Events.Count, Is.Zero, "no report while the episode lasts");

        rig.Link.Reachable = true;
        rig.Step(TimeSpan.FromSeconds(60));
        rig.Ack(Streams.Telemetry, 5, 14);
        rig.Step(TimeSpan.FromSeconds(1));
        rig.Step(TimeSpan.FromSeconds(1));

        var overflow = rig.Link.On(rig.Topic("/events"))
            .SelectMany(m => JsonSerializer.Deserialize(m.Payload, ContractsJson.Default.EventBatch)!.Records)
            .Single();
        Assert.That((overflow.Code, overflow.State, overflow.Severity, overflow.Point, overflow.Value),
            Is.EqualTo((DeviceUplink.OverflowCode, EventState.Occurred, Fleet.Contracts.EventSeverity.Warning, "telemetry", (double?)4)));
        Assert.That(overflow.Message, Is.EqualTo("The outbox was full: dropped 4 telemetry records, oldest first, while the fleet could not be reached."));
    }

    [Test]
    public void When_the_ring_of_bytes_is_full_records_wrap_around_it_and_keep_their_order()
    {
        var rig = new UplinkRig(o =>
        {
            o.RecordBytes = 256;
            o.TelemetryBytes = 1000;
        });
        rig.Link.Reachable = false;
        Report(rig, 25);

        var kept = rig.Uplink.Telemetry.Count;
        Assert.That(kept, Is.InRange(3, 8));
        Assert.That(rig.Uplink.Telemetry.Dropped, Is.EqualTo(25 - kept));
        rig.Link.Reachable = true;
        rig.Uplink.Poll();
        var batch = JsonSerializer.Deserialize(rig.Link.On(rig.Topic("/telemetry")).Single().Payload, ContractsJson.Default.TelemetryBatch)!;
        Assert.That(batch.Records.Select(r => r.Seq), Is.EqualTo(Enumerable.Range(26 - kept, kept).Select(i => (long)i)));
        Assert.That(batch.Records.Select(r => r.Points.Single().Value), Is.EqualTo(Enumerable.Range(25 - kept, kept).Select(i => 0.4 + (i / 100.0))).Within(1e-12));
    }

    [Test]
    public void An_alarm_survives_a_reboot_and_is_sent_by_the_next_boot()
    {
        var first = new UplinkRig();
        first.Link.Reachable = false;
        first.Uplink.RaiseEvent("door_open", EventSeverity.Major, "Cabinet door open");

        var second = new UplinkRig(storage: first.Storage);
        Assert.That(second.Uplink.Events.Restored, Is.EqualTo(1));
        second.Uplink.Poll();
        var batch = JsonSerializer.Deserialize(second.Link.On(second.Topic("/events")).Single().Payload, ContractsJson.Default.EventBatch)!;
        Assert.That(batch.Records.Single().Code, Is.EqualTo("door_open"));
    }

    [Test]
    public void Telemetry_is_checkpointed_at_its_interval_and_survives_a_reboot_after_it()
    {
        var first = new UplinkRig(o => o.CheckpointIntervalMilliseconds = 60_000);
        first.Link.Reachable = false;
        Report(first, 3);
        first.Step(TimeSpan.FromSeconds(61));
        Report(first, 1);

        var second = new UplinkRig(storage: first.Storage);
        Assert.That(second.Uplink.Telemetry.Restored, Is.EqualTo(3), "the reading after the checkpoint went with the power");
    }

    [Test]
    public void Sequence_numbers_given_out_before_a_reboot_are_never_given_out_again()
    {
        var first = new UplinkRig();
        Report(first, 3);
        first.Uplink.Poll();
        first.Ack(Streams.Telemetry, 1, 3);
        first.Uplink.Poll();

        var second = new UplinkRig(storage: first.Storage);
        var seq = second.Uplink.ReportPoint("lamp_current", 0.4, "A", "current", PointQuality.Good);
        Assert.That(seq, Is.GreaterThan(3));
    }

    [Test]
    public void A_checkpoint_torn_by_a_power_loss_leaves_the_previous_one_to_boot_from()
    {
        var first = new UplinkRig();
        first.Link.Reachable = false;
        first.Uplink.RaiseEvent("door_open", EventSeverity.Major, "Cabinet door open");
        first.Storage.TearNextWriteAfter(40);
        Assert.That(() => first.Uplink.RaiseEvent("tilt", EventSeverity.Critical, "Pole tilted"), Throws.TypeOf<PowerLossException>());

        var second = new UplinkRig(storage: first.Storage);
        Assert.That(second.Uplink.Events.Restored, Is.EqualTo(1));
        second.Uplink.Poll();
        var batch = JsonSerializer.Deserialize(second.Link.On(second.Topic("/events")).Single().Payload, ContractsJson.Default.EventBatch)!;
        Assert.That(batch.Records.Select(r => r.Code), Is.EqualTo(new[] { "door_open" }));
    }

    [Test]
    public void Checkpoints_are_written_per_interval_not_per_reading()
    {
        var rig = new UplinkRig(o => o.CheckpointIntervalMilliseconds = 60_000);
        rig.Link.Reachable = false;
        var before = rig.Storage.Writes;
        for (var i = 0; i < 100; i++)
        {
            Report(rig, 1);
            rig.Step(TimeSpan.FromSeconds(3));
        }

        // One reservation of sequence numbers, then one checkpoint a minute over five minutes.
        Assert.That(rig.Storage.Writes - before, Is.EqualTo(6));
    }

    [Test]
    public void A_value_that_is_not_finite_is_refused_with_why()
    {
        var rig = new UplinkRig();
        Assert.That(rig.Uplink.ReportPoint("lamp_current", double.NaN, "A", "current", PointQuality.Good), Is.Zero);
        Assert.That(rig.Uplink.Refused, Is.EqualTo(1));
        Assert.That(rig.Uplink.LastRefusal, Is.EqualTo("point lamp_current: expected a finite value, found NaN; report the last good value as stale or commError instead"));
        Assert.That(rig.Uplink.Telemetry.Count, Is.Zero);
    }

    [Test]
    public void A_malformed_acknowledgement_is_counted_with_what_was_wrong_and_deletes_nothing()
    {
        var rig = new UplinkRig();
        Report(rig, 1);
        rig.Uplink.Poll();
        rig.Link.Deliver(rig.Topic("/ack"), """{"stream":"telemetry","firstSeq":1,"lastSeq":"one","status":"persisted"}""");
        rig.Step(TimeSpan.FromSeconds(1));

        Assert.That(rig.Uplink.MalformedInbound, Is.EqualTo(1));
        Assert.That(rig.Uplink.LastInboundError, Is.EqualTo("civic/v1/POLE-0001/ack: expected an integer, found the string \"one\" at offset 45"));
        Assert.That(rig.Uplink.Telemetry.Count, Is.EqualTo(1));
    }

    [Test]
    public void A_message_larger_than_the_uplink_reads_is_dropped_and_named_in_the_health_report()
    {
        var rig = new UplinkRig(o => o.InboundBytes = 256);
        rig.Uplink.Poll();
        rig.Link.Deliver(rig.Topic("/desired"), "{\"version\":1,\"pad\":\"" + new string('x', 300) + "\"}");
        rig.Step(TimeSpan.FromSeconds(61));

        var health = JsonSerializer.Deserialize(rig.Link.On(rig.Topic("/health")).Last().Payload, ContractsJson.Default.HealthReport)!;
        Assert.That(health.Devices.Single().Reasons, Does.Contain("civic/v1/POLE-0001/desired (322 bytes, room for 256)"));
        Assert.That(rig.Uplink.AppliedVersion, Is.EqualTo(-1));
    }

    [Test]
    public void Reporting_readings_allocates_nothing_in_steady_state()
    {
        var rig = new UplinkRig(o => o.CheckpointIntervalMilliseconds = int.MaxValue);
        rig.Link.Reachable = false;
        Report(rig, 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            rig.Uplink.BeginReading(billing: false);
            rig.Uplink.AddPoint("lamp_current", 0.43, "A", "current", PointQuality.Good);
            rig.Uplink.AddPoint("supply_voltage", 229.9, "V", "voltage", PointQuality.Good);
            rig.Uplink.EndReading();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
