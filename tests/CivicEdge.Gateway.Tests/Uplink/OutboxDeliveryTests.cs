using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Uplink;

[Category("Unit")]
public sealed class OutboxDeliveryTests
{
    private const string Stream = Streams.Telemetry;
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);

    private TempDirectory _directory = null!;
    private Outbox _outbox = null!;
    private FakeTimeProvider _time = null!;
    private FakeUplinkSession _session = null!;
    private CancellationTokenSource _stop = null!;
    private Task? _running;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _outbox = new Outbox(_directory.File("outbox.db"));
        _time = new FakeTimeProvider(Start);
        _session = new FakeUplinkSession();
        _stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        if (_running is not null)
            await _running.WaitAsync(Wait.Limit).ContinueWith(_ => { }, TaskScheduler.Default);
        await _session.DisposeAsync();
        _stop.Dispose();
        _outbox.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task The_waiting_records_go_out_as_one_batch_of_this_source_and_stream_in_sequence_order()
    {
        _outbox.Append(Stream, Readings(3));
        StartDelivery(batchSize: 10);

        var batch = await _session.NextPublishedAsync();

        Assert.That((batch.Source, batch.Stream), Is.EqualTo(("gw-1", Stream)));
        Assert.That(batch.Records.Select(r => r.Seq), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Publishing_alone_deletes_nothing()
    {
        _outbox.Append(Stream, Readings(3));
        StartDelivery();

        await _session.NextPublishedAsync();

        Assert.That(_outbox.Status(Stream).Depth, Is.EqualTo(3));
    }

    [Test]
    public async Task A_persisted_ack_deletes_exactly_the_batch_and_the_next_batch_follows()
    {
        _outbox.Append(Stream, Readings(5));
        StartDelivery(batchSize: 2);

        var first = await _session.NextPublishedAsync();
        _session.Ack(first);
        var second = await _session.NextPublishedAsync();

        Assert.That(second.Records.Select(r => r.Seq), Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(_outbox.Peek(Stream, 0, 10).Select(r => r.Seq), Is.EqualTo(new long[] { 3, 4, 5 }));
    }

    [Test]
    public async Task Without_an_ack_the_same_batch_is_sent_again_after_the_timeout()
    {
        _outbox.Append(Stream, Readings(2));
        StartDelivery();
        var first = await _session.NextPublishedAsync();

        _time.Advance(AckTimeout - TimeSpan.FromSeconds(1));
        await Task.Yield();
        Assert.That(_session.TryTakePublished(out _), Is.False, "not before the timeout");
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = await _session.NextPublishedAsync();

        Assert.That(again.Records.Select(r => r.Seq), Is.EqualTo(first.Records.Select(r => r.Seq)));
        Assert.That(_outbox.Status(Stream).Depth, Is.EqualTo(2), "a resend deletes nothing either");
    }

    [Test]
    public async Task A_rejected_batch_is_quarantined_with_the_fleet_reason_and_not_sent_again()
    {
        _outbox.Append(Stream, Readings(2));
        StartDelivery();
        var batch = await _session.NextPublishedAsync();

        _session.Ack(batch, AckStatus.Rejected, "record 1: point 'voltage' has no unit");
        await Wait.UntilAsync(() => _outbox.Status(Stream).Quarantined == 2, "the batch is quarantined");

        Assert.That(_outbox.Status(Stream).Depth, Is.Zero);
        Assert.That(_outbox.PeekQuarantine(Stream, 10).Select(q => q.Reason), Has.All.EqualTo("record 1: point 'voltage' has no unit"));
        _time.Advance(AckTimeout * 2);
        _outbox.Append(Stream, [Reading(3)]);
        var next = await _session.NextPublishedAsync();
        Assert.That(next.Records.Select(r => r.Seq), Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public async Task Records_appended_while_the_outbox_was_empty_are_sent()
    {
        StartDelivery();
        await Task.Yield();

        _outbox.Append(Stream, Readings(1));

        var batch = await _session.NextPublishedAsync();
        Assert.That(batch.Records.Single().Seq, Is.EqualTo(1));
    }

    [Test]
    public async Task With_a_window_of_two_two_batches_go_out_before_any_ack_and_no_third()
    {
        _outbox.Append(Stream, Readings(6));
        StartDelivery(batchSize: 2, maxInFlight: 2);

        var first = await _session.NextPublishedAsync();
        var second = await _session.NextPublishedAsync();
        await Task.Yield();
        Assert.That(_session.TryTakePublished(out _), Is.False, "the window is full");
        _session.Ack(second);
        var third = await _session.NextPublishedAsync();

        Assert.That(new[] { first, second, third }.Select(b => b.Records[0].Seq), Is.EqualTo(new long[] { 1, 3, 5 }));
        await Wait.UntilAsync(() => _outbox.Status(Stream).Depth == 4, "the second batch is deleted");
        Assert.That(_outbox.Peek(Stream, 0, 10).Select(r => r.Seq), Is.EqualTo(new long[] { 1, 2, 5, 6 }));
    }

    [Test]
    public async Task An_ack_for_a_range_not_in_flight_deletes_nothing()
    {
        _outbox.Append(Stream, Readings(4));
        StartDelivery(batchSize: 4);
        var batch = await _session.NextPublishedAsync();

        _session.Ack(new DeliveryAck(Stream, 1, 2, AckStatus.Persisted, 2, 0));
        _session.Ack(new DeliveryAck("events", 1, 4, AckStatus.Persisted, 4, 0));
        _session.Ack(new DeliveryAck(Stream, 4, 1, AckStatus.Persisted, 0, 0));
        _session.Ack(batch);

        await Wait.UntilAsync(() => _outbox.Status(Stream).Depth == 0, "the matching ack is applied");
        Assert.That(_outbox.Status(Stream).Quarantined, Is.Zero);
    }

    [Test]
    public async Task A_lost_connection_ends_the_session_and_the_next_session_resends_everything_unacknowledged_in_order()
    {
        _outbox.Append(Stream, Readings(4));
        StartDelivery(batchSize: 2);
        var first = await _session.NextPublishedAsync();
        _session.Ack(first);
        await _session.NextPublishedAsync();

        _session.Drop();
        await _running!.WaitAsync(Wait.Limit);
        _outbox.Append(Stream, [Reading(5)]);
        _session = new FakeUplinkSession();
        StartDelivery(batchSize: 10);

        var resent = await _session.NextPublishedAsync();
        Assert.That(resent.Records.Select(r => r.Seq), Is.EqualTo(new long[] { 3, 4, 5 }));
    }

    [Test]
    public async Task Events_go_first_then_billing_then_telemetry()
    {
        _outbox.Append(Stream, Readings(3));
        _outbox.Append([Billing(100), Billing(101)], []);
        _outbox.AppendEvents([Event("door_open"), Event("door_closed")]);
        StartDelivery(batchSize: 10);

        var events = await _session.NextEventsAsync();
        await _session.NextPublishedAsync();
        await _session.NextPublishedAsync();

        Assert.That(_session.Log.Select(entry => (entry.Topic, entry.Stream, entry.First, entry.Last)), Is.EqualTo(new[]
        {
            ("events", Streams.Events, 1L, 2L),
            ("telemetry", Streams.Billing, 1L, 2L),
            ("telemetry", Streams.Telemetry, 1L, 3L),
        }));
        Assert.That((events.Source, events.Records[1].Code), Is.EqualTo(("gw-1", "door_closed")));
    }

    [Test]
    public async Task An_acknowledged_event_batch_leaves_the_outbox_and_the_others_stay()
    {
        _outbox.Append(Stream, Readings(1));
        _outbox.AppendEvents([Event("door_open")]);
        StartDelivery();

        _session.Ack(await _session.NextEventsAsync());

        await Wait.UntilAsync(() => _outbox.Status(Streams.Events).Depth == 0, "the event is deleted");
        Assert.That(_outbox.Status(Stream).Depth, Is.EqualTo(1));
    }

    [Test]
    public async Task The_records_per_second_budget_paces_a_backlog()
    {
        _outbox.Append(Stream, Readings(30));
        StartDelivery(batchSize: 10, maxInFlight: 4, maxRecordsPerSecond: 10);

        var first = await _session.NextPublishedAsync();
        await Task.Delay(50);
        Assert.That(_session.TryTakePublished(out _), Is.False, "the second batch waits for budget though the window has room");
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _session.NextPublishedAsync();

        Assert.That((first.Records[0].Seq, second.Records[0].Seq), Is.EqualTo((1L, 11L)));
    }

    [Test]
    public async Task A_batch_is_never_larger_than_one_second_of_budget()
    {
        _outbox.Append(Stream, Readings(30));
        StartDelivery(batchSize: 200, maxRecordsPerSecond: 7);

        var first = await _session.NextPublishedAsync();

        Assert.That(first.Records, Has.Count.EqualTo(7));
    }

    [Test]
    public async Task A_batch_is_cut_to_fit_the_largest_message_and_the_rest_follows_in_order()
    {
        _outbox.Append(Stream, Readings(40));
        StartDelivery(batchSize: 40, maxInFlight: 8, maxMessageBytes: 2_000);

        var batches = new List<TelemetryBatch>();
        while (batches.Sum(batch => batch.Records.Count) < 40)
            batches.Add(await _session.NextPublishedAsync());

        Assert.That(batches, Has.Count.GreaterThan(2));
        Assert.That(batches.Select(batch => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.TelemetryBatch).Length),
            Has.All.LessThanOrEqualTo(2_000));
        Assert.That(batches.SelectMany(batch => batch.Records).Select(r => r.Seq), Is.EqualTo(Enumerable.Range(1, 40).Select(seq => (long)seq)));
    }

    [Test]
    public async Task While_the_backlog_is_old_the_newest_reading_of_each_device_also_goes_out_live()
    {
        _outbox.Append(Stream, [.. Enumerable.Range(0, 10).Select(i => Reading(i, i, i % 2 == 0 ? "mtr-a" : "mtr-b"))]);
        _time.Advance(TimeSpan.FromMinutes(10));
        StartDelivery(batchSize: 2);

        var live = await _session.NextLiveAsync();

        Assert.That(live.Records.Select(r => (r.Seq, r.DeviceId)), Is.EqualTo(new[] { (9L, "mtr-a"), (10L, "mtr-b") }));
        Assert.That(_outbox.Status(Stream).Depth, Is.EqualTo(10), "live values are not acknowledged and delete nothing");
    }

    [Test]
    public async Task A_fresh_backlog_sends_nothing_live()
    {
        _outbox.Append(Stream, Readings(10));
        _time.Advance(TimeSpan.FromSeconds(30));
        StartDelivery(batchSize: 2);

        await _session.NextPublishedAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);

        Assert.That(_session.TryTakeLive(out _), Is.False);
    }

    private void StartDelivery(int batchSize = 200, int maxInFlight = 1, int maxRecordsPerSecond = 100_000, int maxMessageBytes = 262_144)
    {
        var options = new UplinkOptions
        {
            BatchSize = batchSize,
            MaxInFlight = maxInFlight,
            AckTimeout = AckTimeout,
            MaxRecordsPerSecond = maxRecordsPerSecond,
            MaxMessageBytes = maxMessageBytes,

            // Live rounds are checked first thing in a session; later rounds would only add wake-ups that race with
            // the fake clock the ack-timeout tests advance in steps.
            LiveInterval = TimeSpan.FromHours(1),
        };
        var delivery = new OutboxDelivery(_outbox, "gw-1", options, new UplinkMonitor(_outbox, _time), _time, NullLogger<OutboxDelivery>.Instance);
        _running = Task.Run(() => delivery.RunAsync(_session, _stop.Token));
    }
}
