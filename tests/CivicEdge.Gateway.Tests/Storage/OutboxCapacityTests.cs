using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Storage;

/// <summary>The outbox's limits and its priority policy: routine telemetry gives way first, billing next, events last.</summary>
[Category("Unit")]
public sealed class OutboxCapacityTests
{
    private const string GatewayId = "gw-cap-01";

    private TempDirectory _directory = null!;
    private FakeTimeProvider _time = null!;
    private GatewayDatabase _database = null!;
    private Outbox _outbox = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _time = new FakeTimeProvider(Start);
        Open(new OutboxOptions { MaxRecords = OutboxOptionsValidator.MinRecords });
    }

    [TearDown]
    public void TearDown()
    {
        _outbox.Dispose();
        _database.Dispose();
        _directory.Dispose();
    }

    [Test]
    public void When_full_the_oldest_telemetry_is_dropped_first_and_billing_and_events_are_kept()
    {
        _outbox.Append([.. Enumerable.Range(0, 100).Select(i => Billing(i, i))], [Event("door_open")]);
        _outbox.Append(Streams.Telemetry, Readings(899));

        var result = _outbox.Append([.. Readings(50, firstVolts: 1000)], []);

        Assert.That(result.Dropped, Is.EqualTo(new[] { new OutboxDrop(Streams.Telemetry, 1, 50, 50) }));
        Assert.That(_outbox.Status(Streams.Telemetry), Has.Property(nameof(OutboxStatus.Depth)).EqualTo(899)
            .And.Property(nameof(OutboxStatus.OldestSeq)).EqualTo(51)
            .And.Property(nameof(OutboxStatus.Dropped)).EqualTo(50));
        Assert.That(_outbox.Status(Streams.Billing).Depth, Is.EqualTo(100));
        Assert.That(_outbox.Status(Streams.Events).Depth, Is.EqualTo(1));
    }

    [Test]
    public void Billing_goes_once_no_telemetry_is_left_and_events_last_of_all()
    {
        _outbox.Append([.. Enumerable.Range(0, 985).Select(i => Billing(i, i))], [.. Enumerable.Range(0, 10).Select(i => Event("e" + i, i))]);
        _outbox.Append(Streams.Telemetry, Readings(5));

        var withTelemetry = _outbox.Append([Billing(5000)], []);
        Assert.That(withTelemetry.Dropped, Is.EqualTo(new[] { new OutboxDrop(Streams.Telemetry, 1, 1, 1) }), "telemetry still there: it goes first");

        _outbox.Acknowledge(Streams.Telemetry, 2, 5);
        _outbox.Append([.. Enumerable.Range(0, 4).Select(i => Billing(6000 + i))], []);
        var billingOnly = _outbox.Append([Billing(7000)], []);
        Assert.That(billingOnly.Dropped, Is.EqualTo(new[] { new OutboxDrop(Streams.Billing, 1, 1, 1) }));

        _outbox.Acknowledge(Streams.Billing, 1, 2000);
        var eventsOnly = _outbox.Append([], [.. Enumerable.Range(0, 991).Select(i => Event("x" + i))]);
        Assert.That(eventsOnly.Dropped, Is.EqualTo(new[] { new OutboxDrop(Streams.Events, 1, 1, 1) }), "events give way only to events");
    }

    [Test]
    public void The_size_limit_drops_telemetry_too()
    {
        Reopen(new OutboxOptions { MaxRecords = 1_000_000, MaxMegabytes = 1 });
        var bulky = Enumerable.Range(0, 20_000).Select(i => Wide(i)).ToList();

        for (var i = 0; i < bulky.Count; i += 500)
            _outbox.Append(bulky.GetRange(i, 500), []);

        var status = _outbox.Status(Streams.Telemetry);
        Assert.That(status.Dropped, Is.GreaterThan(0));
        Assert.That(status.Depth + status.Dropped, Is.EqualTo(20_000), "every record is either waiting or counted as dropped");
    }

    [Test]
    public void Drops_are_reported_as_one_event_with_the_range_once_the_outbox_has_room_again()
    {
        _outbox.Append(Streams.Telemetry, Readings(1000));
        _outbox.Append(Streams.Telemetry, Readings(30));
        _outbox.Append(Streams.Telemetry, Readings(20));
        Assert.That(_outbox.Status(Streams.Events).Depth, Is.Zero, "not while the outbox is still full");

        _outbox.Acknowledge(Streams.Telemetry, 1, 300);
        var result = _outbox.Append([.. Readings(1)], []);

        Assert.That(result.RoomAgain, Is.True);
        Assert.That(result.Reported, Is.EqualTo(new[] { new OutboxDrop(Streams.Telemetry, 1, 50, 50) }));
        var report = _outbox.PeekEvents(0, 10).Single();
        Assert.That((report.DeviceId, report.Code, report.State, report.Point, report.Value),
            Is.EqualTo((GatewayId, Outbox.OverflowCode, EventState.Occurred, Streams.Telemetry, (double?)50)));
        Assert.That(report.Message, Does.Contain("1..50").And.Contain("50 telemetry records"));
    }

    [Test]
    public void While_the_outbox_stays_full_drops_are_reported_every_interval()
    {
        _outbox.Append(Streams.Telemetry, Readings(1000));
        _outbox.Append(Streams.Telemetry, Readings(10));

        _time.Advance(new OutboxOptions().OverflowReportInterval);
        var result = _outbox.Append([.. Readings(10)], []);

        Assert.That(result.Reported.Single(), Is.EqualTo(new OutboxDrop(Streams.Telemetry, 1, 20, 20)));
        Assert.That(result.RoomAgain, Is.False);
        Assert.That(_outbox.Status(Streams.Events).Depth, Is.EqualTo(1));
    }

    [Test]
    public void Drop_counts_and_unreported_drops_survive_a_restart()
    {
        _outbox.Append(Streams.Telemetry, Readings(1000));
        _outbox.Append(Streams.Telemetry, Readings(25));

        Reopen(new OutboxOptions { MaxRecords = OutboxOptionsValidator.MinRecords });
        _outbox.Acknowledge(Streams.Telemetry, 1, 500);
        var result = _outbox.Append([.. Readings(1)], []);

        Assert.That(_outbox.Status(Streams.Telemetry).Dropped, Is.EqualTo(25));
        Assert.That(result.Reported.Single(), Is.EqualTo(new OutboxDrop(Streams.Telemetry, 1, 25, 25)));
    }

    [Test]
    public void Readings_of_every_shape_come_back_as_appended_after_a_restart()
    {
        var meter = new DeviceReading("mtr-9", "eastron-sdm630", Start,
        [
            new PointValue("voltage_l1", 231.5, "V", "voltage", Quality.Good),
            new PointValue("power_factor", -0.5, "1", null, Quality.Stale),
            new PointValue("frequency", double.MaxValue, "Hz", "frequency", Quality.OutOfRange),
        ]);
        var sensor = new DeviceReading("env-1", null, Start.AddSeconds(1), [new PointValue("pm25", 12, "ug/m3", "pm25", Quality.CommError)]);
        _outbox.Append([meter, sensor, meter with { Timestamp = Start.AddSeconds(2) }], []);

        Reopen(new OutboxOptions());
        var records = _outbox.Peek(Streams.Telemetry, 0, 10);

        Assert.That(records.Select(r => (r.Seq, r.DeviceId, r.Model, r.Timestamp)), Is.EqualTo(new[]
        {
            (1L, "mtr-9", (string?)"eastron-sdm630", Start),
            (2L, "env-1", null, Start.AddSeconds(1)),
            (3L, "mtr-9", "eastron-sdm630", Start.AddSeconds(2)),
        }));
        Assert.That(records[0].Points, Is.EqualTo(meter.Points));
        Assert.That(records[1].Points, Is.EqualTo(sensor.Points));
    }

    [Test]
    public void An_event_comes_back_as_appended()
    {
        var alarm = new DeviceEvent("mtr-9", Start, "voltage_l1.high", EventState.Raised, EventSeverity.Critical, "Voltage L1 above 253 V", "voltage_l1", 257.25);

        _outbox.AppendEvents([alarm, alarm with { State = EventState.Cleared, Point = null, Value = null }]);

        var events = _outbox.PeekEvents(0, 10);
        Assert.That(events[0], Is.EqualTo(new EventRecord(1, "mtr-9", Start, "voltage_l1.high", EventState.Raised, EventSeverity.Critical, "Voltage L1 above 253 V", "voltage_l1", 257.25)));
        Assert.That((events[1].Seq, events[1].State, events[1].Point, events[1].Value), Is.EqualTo((2L, EventState.Cleared, (string?)null, (double?)null)));
    }

    [Test]
    public void PeekNewest_returns_the_newest_records_first()
    {
        _outbox.Append(Streams.Telemetry, Readings(10));

        Assert.That(_outbox.PeekNewest(Streams.Telemetry, 6, 3).Select(r => r.Seq), Is.EqualTo(new long[] { 10, 9, 8 }));
        Assert.That(_outbox.PeekNewest(Streams.Telemetry, 8, 5).Select(r => r.Seq), Is.EqualTo(new long[] { 10, 9 }));
    }

    [Test]
    public void A_commit_token_is_known_exactly_when_its_commit_reached_the_file()
    {
        _outbox.Append([Reading(1)], [], "token-1");

        Assert.That(_outbox.HasCommitted("token-1"), Is.True);
        Assert.That(_outbox.HasCommitted("token-2"), Is.False);
    }

    [Test]
    public void A_reading_for_the_events_stream_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => _outbox.Append([Reading(1) with { Stream = Streams.Events }], []));

        Assert.That(ex.Message, Does.Contain("mtr-1").And.Contain("'events'"));
    }

    private static DeviceReading Wide(int i) =>
        new("mtr-wide", "wide", Start.AddSeconds(i), [.. Enumerable.Range(0, 40).Select(p => new PointValue("p" + p, i + p, "V", null, Quality.Good))]);

    private void Open(OutboxOptions options)
    {
        _database = new GatewayDatabase(_directory.File("gateway.db"));
        _outbox = new Outbox(_database, options, GatewayId, _time);
    }

    private void Reopen(OutboxOptions options)
    {
        _outbox.Dispose();
        _database.Dispose();
        Open(options);
    }
}
