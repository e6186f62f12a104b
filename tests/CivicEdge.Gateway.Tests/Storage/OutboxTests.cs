using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Storage;

[Category("Unit")]
public sealed class OutboxTests
{
    private const string Stream = "telemetry";

    private TempDirectory _directory = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _path = _directory.File("outbox.db");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Append_numbers_the_readings_from_one_in_the_order_given()
    {
        using var outbox = new Outbox(_path);

        var first = outbox.Append(Stream, Readings(3));
        var second = outbox.Append(Stream, [Reading(99)]);

        Assert.That(first, Is.EqualTo(new SequenceRange(1, 3)));
        Assert.That(second, Is.EqualTo(new SequenceRange(4, 4)));
        Assert.That(outbox.Peek(Stream, 0, 10).Select(r => (r.Seq, r.Points[0].Value)),
            Is.EqualTo(new[] { (1L, 1.0), (2L, 2.0), (3L, 3.0), (4L, 99.0) }));
    }

    [Test]
    public void Sequence_numbers_continue_after_the_file_is_reopened()
    {
        using (var outbox = new Outbox(_path))
            outbox.Append(Stream, Readings(5));

        using var reopened = new Outbox(_path);
        var range = reopened.Append(Stream, Readings(2));

        Assert.That(range, Is.EqualTo(new SequenceRange(6, 7)));
        Assert.That(reopened.Peek(Stream, 0, 100).Select(r => r.Seq), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6, 7 }));
    }

    [Test]
    public void Sequence_numbers_are_never_reused_even_after_every_record_was_acknowledged()
    {
        using (var outbox = new Outbox(_path))
        {
            outbox.Append(Stream, Readings(3));
            outbox.Acknowledge(Stream, 1, 3);
        }

        using var reopened = new Outbox(_path);
        Assert.That(reopened.Append(Stream, [Reading(1)]).First, Is.EqualTo(4));
    }

    [Test]
    public void Streams_are_numbered_independently()
    {
        using var outbox = new Outbox(_path);
        outbox.Append(Stream, Readings(3));

        Assert.That(outbox.Append(Streams.Billing, [Reading(1)]), Is.EqualTo(new SequenceRange(1, 1)));
        Assert.That(outbox.AppendEvents([Event("door_open")]), Is.EqualTo(new SequenceRange(1, 1)));
        Assert.That(outbox.Peek(Streams.Billing, 0, 10), Has.Count.EqualTo(1));
        Assert.That(outbox.PeekEvents(0, 10).Single().Code, Is.EqualTo("door_open"));
    }

    [Test]
    public void Peek_returns_records_after_the_given_sequence_number_in_order_up_to_max_and_removes_nothing()
    {
        using var outbox = new Outbox(_path);
        outbox.Append(Stream, Readings(10));

        var peeked = outbox.Peek(Stream, 3, 4);

        Assert.That(peeked.Select(r => r.Seq), Is.EqualTo(new long[] { 4, 5, 6, 7 }));
        Assert.That(outbox.Status(Stream).Depth, Is.EqualTo(10));
    }

    [Test]
    public void Acknowledge_deletes_exactly_the_range_and_nothing_else()
    {
        using var outbox = new Outbox(_path);
        outbox.Append(Stream, Readings(10));

        var deleted = outbox.Acknowledge(Stream, 3, 6);

        Assert.That(deleted, Is.EqualTo(4));
        Assert.That(outbox.Peek(Stream, 0, 100).Select(r => r.Seq), Is.EqualTo(new long[] { 1, 2, 7, 8, 9, 10 }));
        Assert.That(outbox.Acknowledge(Stream, 3, 6), Is.Zero, "acknowledging again is harmless");
    }

    [TestCase(10)]
    [TestCase(6000)]
    public void Acknowledging_a_range_with_records_already_gone_counts_only_those_deleted_and_keeps_the_depth_right(int records)
    {
        using var outbox = new Outbox(_path);
        outbox.Append(Stream, Readings(records));
        outbox.Acknowledge(Stream, 2, 3);

        var deleted = outbox.Acknowledge(Stream, 1, records - 1);

        Assert.That(deleted, Is.EqualTo(records - 3));
        Assert.That(outbox.Peek(Stream, 0, 10).Select(r => r.Seq), Is.EqualTo(new long[] { records }));
        Assert.That(outbox.Status(Stream).Depth, Is.EqualTo(1));
    }

    [Test]
    public void Quarantine_moves_the_range_aside_with_its_reason_and_keeps_it_across_reopening()
    {
        var time = new FakeTimeProvider(Start.AddHours(1));
        using (var outbox = new Outbox(_path, time))
        {
            outbox.Append(Stream, Readings(5));

            var moved = outbox.Quarantine(Stream, 2, 3, "point 'voltage' has no unit");

            Assert.That(moved, Is.EqualTo(2));
            Assert.That(outbox.Peek(Stream, 0, 100).Select(r => r.Seq), Is.EqualTo(new long[] { 1, 4, 5 }));
        }

        using var reopened = new Outbox(_path);
        var quarantined = reopened.PeekQuarantine(Stream, 10);
        Assert.That(quarantined.Select(q => (q.Seq, q.Reason, q.QuarantinedAt)), Is.EqualTo(new[]
        {
            (2L, "point 'voltage' has no unit", Start.AddHours(1)),
            (3L, "point 'voltage' has no unit", Start.AddHours(1)),
        }));
        Assert.That(quarantined[0].Record!.Points[0].Value, Is.EqualTo(2.0));
        Assert.That(reopened.Status(Stream).Quarantined, Is.EqualTo(2));
    }

    [Test]
    public void Status_reports_depth_oldest_record_last_sequence_number_and_quarantine()
    {
        using var outbox = new Outbox(_path);
        Assert.That(outbox.Status(Stream), Is.EqualTo(new OutboxStatus(Stream, 0, null, null, 0, 0)));

        outbox.Append(Stream, Readings(4));
        outbox.Acknowledge(Stream, 1, 1);
        outbox.Quarantine(Stream, 4, 4, "bad");

        Assert.That(outbox.Status(Stream), Is.EqualTo(new OutboxStatus(Stream, 2, 2, Start.AddSeconds(1), 4, 1)));
    }

    [Test]
    public void A_record_comes_back_as_it_was_appended_to_the_millisecond()
    {
        using var outbox = new Outbox(_path);
        var timestamp = new DateTimeOffset(2026, 11, 22, 10, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        var reading = new DeviceReading("mtr-7", null, timestamp,
        [
            new PointValue("voltage", 231.25, "V", "voltage", Quality.Good),
            new PointValue("power_factor", -1.5, "1", null, Quality.OutOfRange),
        ]);
        outbox.Append(Stream, [reading]);

        var record = outbox.Peek(Stream, 0, 1).Single();

        Assert.That((record.Seq, record.DeviceId, record.Model), Is.EqualTo((1L, "mtr-7", (string?)null)));
        Assert.That(record.Timestamp, Is.EqualTo(timestamp.AddTicks(-4567)));
        Assert.That(record.Timestamp.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(record.Points, Is.EqualTo(reading.Points));
    }

    [Test]
    public void Readings_reported_by_exception_come_back_with_exactly_their_points_in_their_order_after_reopening()
    {
        PointValue Voltage(double v) => new("voltage", v, "V", "voltage", Quality.Good);
        PointValue Current(double a) => new("current", a, "A", "current", Quality.Stale);
        PointValue Energy(double e, string unit = "kWh") => new("energy", e, unit, "energy", Quality.Good);
        DeviceReading At(int second, params PointValue[] points) => new("mtr-7", "test-meter", Start.AddSeconds(second), points);
        DeviceReading[] readings =
        [
            At(0, Voltage(230), Current(5)),
            At(1, Current(6)),
            At(2, Energy(10), Voltage(231)),
            At(3, Voltage(232), Current(7), Energy(11)),
            At(4, Energy(12_000, "Wh")),
            At(5, Current(8), Energy(12.5)),
        ];
        using (var outbox = new Outbox(_path))
            outbox.Append(Stream, readings);

        using var reopened = new Outbox(_path);
        Assert.That(reopened.Peek(Stream, 0, 10).Select(record => record.Points), Is.EqualTo(readings.Select(reading => reading.Points)));
    }

    [Test]
    public void A_device_whose_readings_hold_ever_other_points_keeps_one_layout_grown_only_by_points_it_had_not_reported()
    {
        string[] names = ["a", "b", "c", "d", "e", "f"];
        using (var outbox = new Outbox(_path))
        {
            // Every subset of six points, as report by exception produces them over time: 63 sets of points.
            for (var set = 1; set < 1 << names.Length; set++)
            {
                var points = names.Where((_, bit) => (set & (1 << bit)) != 0).Select(name => new PointValue(name, set, "V", "voltage", Quality.Good)).ToList();
                outbox.Append(Stream, [new DeviceReading("mtr-1", "test-meter", Start.AddSeconds(set), points)]);
            }
        }

        using var file = new LiteDB.LiteDatabase($"Filename={_path};ReadOnly=true");
        // Each set that brings a point not seen before grows the layout: a, then b, c, d, e and f.
        Assert.That(file.GetCollection("layouts").Count(), Is.EqualTo(names.Length));
    }

    [Test]
    public async Task WaitForRecords_completes_once_a_record_after_the_given_sequence_number_is_appended()
    {
        using var outbox = new Outbox(_path);
        outbox.Append(Stream, Readings(2));

        var waiting = outbox.WaitForRecordsAsync(Stream, 2, CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False);
        outbox.Append(Stream, [Reading(3)]);

        await waiting.WaitAsync(Wait.Limit);
        Assert.That(outbox.WaitForRecordsAsync(Stream, 0, CancellationToken.None).IsCompleted, Is.True, "records already there");
    }

    [TestCase("")]
    [TestCase("events")]
    [TestCase("Telemetry")]
    [TestCase("tele/metry")]
    [TestCase("1st")]
    public void Stream_names_that_cannot_be_collection_names_are_refused(string stream)
    {
        using var outbox = new Outbox(_path);

        var ex = Assert.Throws<ArgumentException>(() => outbox.Append(stream, [Reading(1)]));

        Assert.That(ex.ParamName, Is.EqualTo("stream"));
    }

    [Test]
    public void A_second_outbox_on_the_same_file_is_refused_while_the_first_is_open()
    {
        using var outbox = new Outbox(_path);

        Assert.Catch<IOException>(() => new Outbox(_path).Dispose());
    }
}
