using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Fleet.Core.Tests.TestBatches;

namespace CivicEdge.Fleet.Core.Tests;

[TestFixture]
[Category("Unit")]
public sealed class EventIngestorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 5, 0, TimeSpan.Zero);

    private InMemoryFleetStore _store = null!;
    private EventIngestor _ingestor = null!;

    [SetUp]
    public void CreateIngestor()
    {
        _store = new InMemoryFleetStore();
        _ingestor = new EventIngestor(_store, new TelemetryIngestOptions(), new FakeTimeProvider(Now), NullLogger<EventIngestor>.Instance);
    }

    [Test]
    public async Task A_valid_batch_is_stored_then_acknowledged_as_persisted_and_again_as_duplicates()
    {
        var first = await _ingestor.IngestBatchAsync(Gateway, Json(Events(Alarm(1), Alarm(2))), CancellationToken.None);
        var again = await _ingestor.IngestBatchAsync(Gateway, Json(Events(Alarm(1), Alarm(2))), CancellationToken.None);

        Assert.That(first, Is.EqualTo(new DeliveryAck(Streams.Events, 1, 2, AckStatus.Persisted, 2, 0)));
        Assert.That(again, Is.EqualTo(new DeliveryAck(Streams.Events, 1, 2, AckStatus.Persisted, 0, 2)));
        Assert.That(_store.Events.Select(e => e.Seq), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That((_ingestor.EventsStored, _ingestor.EventsDuplicate), Is.EqualTo((2L, 2L)));
    }

    [Test]
    public async Task A_malformed_payload_is_rejected_with_the_range_it_could_read()
    {
        var ack = await _ingestor.IngestBatchAsync(Gateway, Utf8("""{"source":"gw-1","stream":"events","records":[{"seq":4},{"seq":5}]}"""), CancellationToken.None);

        Assert.That((ack.Stream, ack.FirstSeq, ack.LastSeq, ack.Status), Is.EqualTo((Streams.Events, 4L, 5L, AckStatus.Rejected)));
        Assert.That(ack.Reason, Does.StartWith("payload $.records[0]").And.Contain("expected an event batch as JSON"));
        Assert.That(_store.Writes, Is.Zero);
    }

    [Test]
    public async Task A_store_failure_is_not_acknowledged_and_later_batches_wait_for_the_failed_one()
    {
        _store.FailWith = new IOException("disk full");
        await Assert.ThrowsAsync<IOException>(async () => await _ingestor.IngestBatchAsync(Gateway, Events(Alarm(1), Alarm(2)), CancellationToken.None));
        _store.FailWith = null;

        var heldBack = await Assert.ThrowsAsync<BatchHeldBackException>(async () => await _ingestor.IngestBatchAsync(Gateway, Events(Alarm(3)), CancellationToken.None));
        Assert.That(heldBack!.FailedSeq, Is.EqualTo(1));
        Assert.That(_store.Events, Is.Empty, "storing 3 would make 1 and 2 look like duplicates");

        await _ingestor.IngestBatchAsync(Gateway, Events(Alarm(1), Alarm(2)), CancellationToken.None);
        await _ingestor.IngestBatchAsync(Gateway, Events(Alarm(3)), CancellationToken.None);
        Assert.That(_store.Events.Select(e => e.Seq), Is.EqualTo(new long[] { 1, 2, 3 }));
    }
}
