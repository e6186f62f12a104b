using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestReadings;

namespace CivicEdge.Gateway.Tests.Storage;

[Category("Integration")]
public sealed class OutboxWriterTests
{
    private const string GatewayId = "gw-writer-01";

    private TempDirectory _directory = null!;
    private FakeTimeProvider _time = null!;
    private FaultyDisk _disk = null!;
    private GatewayDatabase _database = null!;
    private Outbox _outbox = null!;
    private StorageHealth _health = null!;
    private Channel<DeviceReading> _readings = null!;
    private Channel<DeviceEvent> _events = null!;
    private CapturingLoggerProvider _logs = null!;
    private ILoggerFactory _loggerFactory = null!;
    private OutboxWriter? _writer;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _time = new FakeTimeProvider(Start);
        _disk = new FaultyDisk();
        _logs = new CapturingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs));
        _readings = Channel.CreateBounded<DeviceReading>(10_000);
        _events = Channel.CreateBounded<DeviceEvent>(1_000);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_writer is not null)
        {
            await _writer.StopAsync(CancellationToken.None);
            _writer.Dispose();
        }

        _outbox?.Dispose();
        _database?.Dispose();
        _loggerFactory.Dispose();
        _logs.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Readings_go_to_the_stream_they_name_and_events_to_the_events_stream()
    {
        await StartAsync(new OutboxOptions());

        await _readings.Writer.WriteAsync(Reading(230));
        await _readings.Writer.WriteAsync(Billing(1234.5));
        await _events.Writer.WriteAsync(Event("door_open"));

        await Wait.UntilAsync(() => Outbox.DropOrder.All(stream => _outbox.Status(stream).Depth == 1), "one record in each stream");
        Assert.That(_outbox.Peek(Streams.Billing, 0, 1).Single().Points[0].Value, Is.EqualTo(1234.5));
        Assert.That(_outbox.PeekEvents(0, 1).Single().Code, Is.EqualTo("door_open"));
    }

    [Test]
    public async Task While_the_disk_is_full_polling_goes_on_into_memory_and_everything_is_stored_once_there_is_room()
    {
        await StartAsync(new OutboxOptions());
        _disk.FreeBytes = 0;

        foreach (var reading in Readings(3000))
            Assert.That(_readings.Writer.TryWrite(reading), Is.True, "the pollers never wait for a full disk");
        await Wait.UntilAsync(() => _health.Snapshot() is { Condition: StorageCondition.DiskFull, Buffered: 3000 }, "all readings held in memory");
        var failing = _health.Snapshot();
        Assert.That(failing.LastError, Does.Contain("No space left on device"));
        Assert.That(_outbox.Status(Streams.Telemetry).Depth, Is.Zero);

        _disk.FreeBytes = long.MaxValue;
        _time.Advance(new OutboxOptions().MaxRetryDelay);

        await Wait.UntilAsync(() => _outbox.Status(Streams.Telemetry).Depth == 3000, "the buffered readings are stored");
        await Wait.UntilAsync(() => _outbox.Status(Streams.Events).Depth == 2, "the episode is reported");
        Assert.That(_outbox.Status(Streams.Telemetry).LastSeq, Is.EqualTo(3000), "each stored exactly once");
        Assert.That(_outbox.Peek(Streams.Telemetry, 0, 3000).Select(r => r.Points[0].Value), Is.EqualTo(Readings(3000).Select(r => r.Points[0].Value)),
            "in the order they were read");
        var events = _outbox.PeekEvents(0, 10);
        Assert.That(events.Select(e => (e.DeviceId, e.Code, e.State)), Is.EqualTo(new[]
        {
            (GatewayId, OutboxWriter.WriteFailedCode, EventState.Raised),
            (GatewayId, OutboxWriter.WriteFailedCode, EventState.Cleared),
        }));
        Assert.That(events[0].Message, Does.Contain("the disk was full"));
        Assert.That(events[1].Value, Is.Zero);
        Assert.That(_health.Snapshot().Condition, Is.EqualTo(StorageCondition.Healthy));
        Assert.That(_logs.Messages.Count(m => m.Contains("cannot store readings", StringComparison.Ordinal)), Is.EqualTo(1), "logged once");
    }

    [Test]
    public async Task A_full_memory_queue_drops_routine_telemetry_first_and_the_loss_is_counted_and_reported()
    {
        await StartAsync(new OutboxOptions { MemoryQueueCapacity = 100 });
        _disk.FreeBytes = 0;
        foreach (var reading in Readings(5, firstVolts: 1000))
            await _readings.Writer.WriteAsync(reading);
        await Wait.UntilAsync(() => _health.Snapshot().Condition == StorageCondition.DiskFull, "the first commit is refused");

        foreach (var reading in Enumerable.Range(0, 50).Select(i => Billing(i, i)))
            await _readings.Writer.WriteAsync(reading);
        foreach (var reading in Readings(200))
            await _readings.Writer.WriteAsync(reading);
        foreach (var deviceEvent in Enumerable.Range(0, 10).Select(i => Event("e" + i, i)))
            await _events.Writer.WriteAsync(deviceEvent);
        await Wait.UntilAsync(() => _health.Snapshot().LostInMemory.GetValueOrDefault(Streams.Telemetry) == 160, "the oldest telemetry dropped");

        _disk.FreeBytes = long.MaxValue;
        _time.Advance(new OutboxOptions().MaxRetryDelay);

        await Wait.UntilAsync(() => _outbox.Status(Streams.Events).Depth == 12, "ten events and the report");
        Assert.That(_outbox.Status(Streams.Billing).Depth, Is.EqualTo(50), "every billing reading kept");
        Assert.That(_outbox.Peek(Streams.Telemetry, 0, 100).Select(r => r.Points[0].Value),
            Is.EqualTo(Readings(5, firstVolts: 1000).Concat(Readings(200).Skip(160)).Select(r => r.Points[0].Value)),
            "the commit being retried and the newest telemetry kept");
        var cleared = _outbox.PeekEvents(0, 20).Single(e => e.State == EventState.Cleared);
        Assert.That(cleared.Value, Is.EqualTo(160));
        Assert.That(cleared.Message, Does.Contain("160 telemetry"));
        Assert.That(_health.Snapshot().LostInMemory.Keys, Is.EquivalentTo(new[] { Streams.Telemetry }));
    }

    [Test]
    public async Task A_commit_that_reached_the_journal_before_its_fsync_failed_is_not_stored_twice()
    {
        await StartAsync(new OutboxOptions());
        _disk.FailNextSync = true;

        foreach (var reading in Readings(10))
            await _readings.Writer.WriteAsync(reading);
        await Wait.UntilAsync(() => _health.Snapshot().Condition == StorageCondition.WriteFailing, "the failed fsync is noticed");
        _time.Advance(new OutboxOptions().MaxRetryDelay);

        await Wait.UntilAsync(() => _health.Snapshot().Condition == StorageCondition.Healthy, "writes succeed again");
        Assert.That(_outbox.Status(Streams.Telemetry), Has.Property(nameof(OutboxStatus.Depth)).EqualTo(10).And.Property(nameof(OutboxStatus.LastSeq)).EqualTo(10));
        Assert.That(_logs.Messages, Has.Some.Contains("had reached the outbox; not storing it again"));
    }

    [Test]
    public async Task A_reading_for_a_stream_the_outbox_does_not_keep_is_refused_alone_counted_and_logged()
    {
        await StartAsync(new OutboxOptions());

        await _readings.Writer.WriteAsync(Reading(1) with { Stream = Streams.Events });
        await _readings.Writer.WriteAsync(Reading(2));

        await Wait.UntilAsync(() => _outbox.Status(Streams.Telemetry).Depth == 1, "the good reading is stored");
        Assert.That(_health.Snapshot().LostInMemory[Streams.Events], Is.EqualTo(1));
        Assert.That(_logs.Messages, Has.Some.Contains("Refused a reading of mtr-1 for stream 'events'"));
    }

    [Test]
    public async Task Readings_queued_when_the_gateway_stops_are_committed_before_it_exits()
    {
        await StartAsync(new OutboxOptions());
        await _readings.Writer.WriteAsync(Reading(1));
        await Wait.UntilAsync(() => _outbox.Status(Streams.Telemetry).Depth == 1, "the writer runs");
        foreach (var reading in Readings(1200))
            await _readings.Writer.WriteAsync(reading);

        await _writer!.StopAsync(CancellationToken.None);
        _writer.Dispose();
        _writer = null;

        Assert.That(_outbox.Status(Streams.Telemetry).Depth, Is.EqualTo(1201));
    }

    private async Task StartAsync(OutboxOptions options)
    {
        _database = new GatewayDatabase(_directory.File("gateway.db"), _disk, _time, _loggerFactory.CreateLogger<GatewayDatabase>());
        _outbox = new Outbox(_database, options, GatewayId, _time);
        _health = new StorageHealth(_database.Recovery);
        _writer = new OutboxWriter(_outbox, _readings.Reader, _events.Reader, _health, GatewayId, _time, _loggerFactory.CreateLogger<OutboxWriter>());
        await _writer.StartAsync(CancellationToken.None);
    }
}
