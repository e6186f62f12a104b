using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Fleet.Core.Tests.TestBatches;

namespace CivicEdge.Fleet.Core.Tests;

[TestFixture]
[Category("Unit")]
public sealed class TelemetryIngestorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 5, 0, TimeSpan.Zero);

    private InMemoryFleetStore _store = null!;
    private TelemetryIngestor _ingestor = null!;

    [SetUp]
    public void CreateIngestor()
    {
        _store = new InMemoryFleetStore();
        _ingestor = new TelemetryIngestor(
            _store,
            new TelemetryIngestOptions { MaxRecordsPerBatch = 10 },
            new FakeTimeProvider(Now),
            NullLogger<TelemetryIngestor>.Instance);
    }

    [Test]
    public async Task A_valid_batch_is_stored_and_acknowledged_as_persisted()
    {
        var ack = await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(1, 2, 3)), CancellationToken.None);

        Assert.That(ack, Is.EqualTo(new DeliveryAck("telemetry", 1, 3, AckStatus.Persisted, 3, 0)));
        Assert.That(_store.Records.Select(record => record.Seq), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task The_store_is_told_when_the_fleet_received_the_batch()
    {
        await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(1)), CancellationToken.None);

        Assert.That(_store.ReceivedTimes, Is.EqualTo(new[] { Now }));
    }

    [Test]
    public async Task A_batch_sent_again_is_acknowledged_as_persisted_with_every_record_a_duplicate()
    {
        await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(1, 2, 3)), CancellationToken.None);

        var ack = await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(1, 2, 3)), CancellationToken.None);

        Assert.That(ack, Is.EqualTo(new DeliveryAck("telemetry", 1, 3, AckStatus.Persisted, 0, 3)));
    }

    [Test]
    public async Task An_invalid_batch_is_rejected_with_its_reason_and_nothing_is_stored()
    {
        var ack = await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(40, 41, 41)), CancellationToken.None);

        Assert.That(ack, Is.EqualTo(new DeliveryAck("telemetry", 40, 41, AckStatus.Rejected, 0, 0, "records[2].seq: expected > 41, found 41")));
        Assert.That(_store.Writes, Is.Zero);
    }

    [Test]
    public async Task A_payload_that_is_not_json_is_rejected_naming_the_place()
    {
        var ack = await _ingestor.IngestBatchAsync(Gateway, Utf8("{\"source\": nope}"), CancellationToken.None);

        Assert.That((ack.Status, ack.Stream, ack.FirstSeq, ack.LastSeq), Is.EqualTo((AckStatus.Rejected, "", 0L, 0L)));
        Assert.That(ack.Reason, Does.StartWith("payload $.source (line 1, byte ").And.Contain("): expected a telemetry batch as JSON, found "));
        Assert.That(_store.Writes, Is.Zero);
    }

    [Test]
    public async Task An_empty_payload_is_rejected()
    {
        var ack = await _ingestor.IngestBatchAsync(Gateway, Utf8(""), CancellationToken.None);

        Assert.That(ack.Reason, Is.EqualTo("payload: expected a telemetry batch as JSON, found an empty payload"));
    }

    [Test]
    public async Task A_json_batch_missing_a_field_is_rejected_but_keeps_the_stream_and_sequence_range_it_names()
    {
        const string payload = """
            {"stream":"telemetry","records":[
              {"seq":7,"deviceId":"meter-1","model":null,"timestamp":"2026-11-22T10:00:00Z","points":[]},
              {"seq":9,"deviceId":"meter-1","model":null,"timestamp":"2026-11-22T10:00:01Z","points":[]}]}
            """;

        var ack = await _ingestor.IngestBatchAsync(Gateway, Utf8(payload), CancellationToken.None);

        Assert.That((ack.Status, ack.Stream, ack.FirstSeq, ack.LastSeq), Is.EqualTo((AckStatus.Rejected, "telemetry", 7L, 9L)));
        Assert.That(ack.Reason, Does.EndWith("missing required properties including: 'source'"));
    }

    [Test]
    public async Task Content_after_the_batch_is_rejected()
    {
        var json = System.Text.Encoding.UTF8.GetString(Json(Seqs(1)).FirstSpan) + " {}";

        var ack = await _ingestor.IngestBatchAsync(Gateway, Utf8(json), CancellationToken.None);

        Assert.That(ack.Status, Is.EqualTo(AckStatus.Rejected));
    }

    [Test]
    public async Task A_null_entry_in_the_records_is_rejected_as_malformed()
    {
        const string payload = """{"source":"gw-1","stream":"telemetry","records":[null]}""";

        var ack = await _ingestor.IngestBatchAsync(Gateway, Utf8(payload), CancellationToken.None);

        Assert.That(ack.Reason, Is.EqualTo("records[0]: expected a record, found null"));
    }

    [Test]
    public async Task A_store_failure_propagates_so_that_no_acknowledgement_is_sent()
    {
        _store.FailWith = new IOException("disk full");

        await Assert.ThrowsAsync<IOException>(() => _ingestor.IngestBatchAsync(Gateway, Json(Seqs(1)), CancellationToken.None));
    }

    [Test]
    public async Task The_counters_tell_persisted_duplicate_and_rejected_work_apart()
    {
        await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(1, 2)), CancellationToken.None);
        await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(2, 3)), CancellationToken.None);
        await _ingestor.IngestBatchAsync(Gateway, Utf8("]"), CancellationToken.None);
        await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(5, 4)), CancellationToken.None);
        await _ingestor.IngestBatchAsync("gw-2", Json(Seqs(1)), CancellationToken.None);
        await _ingestor.IngestBatchAsync(Gateway, Json(Seqs(6, 6)), CancellationToken.None);

        var counters = _ingestor.Snapshot();

        Assert.That(
            (counters.BatchesPersisted, counters.RecordsStored, counters.RecordsDuplicate, counters.BatchesRejected),
            Is.EqualTo((2L, 3L, 1L, 4L)));
        Assert.That(counters.RejectedByCause, Is.EquivalentTo(new Dictionary<RejectionCause, long>
        {
            [RejectionCause.MalformedPayload] = 1,
            [RejectionCause.SequenceOrder] = 2,
            [RejectionCause.SourceMismatch] = 1,
        }));
    }

    [Test]
    public async Task A_source_state_is_recorded()
    {
        var state = new SourceState(Gateway, true, "0.1.0", Now);

        var rejection = await _ingestor.IngestStateAsync(Gateway, Json(state), CancellationToken.None);

        Assert.That(rejection, Is.Null);
        Assert.That(_store.States, Is.EqualTo(new[] { state }));
        Assert.That(_ingestor.Snapshot().StatesRecorded, Is.EqualTo(1));
    }

    [Test]
    public async Task A_source_state_for_another_source_than_its_topic_is_refused()
    {
        var rejection = await _ingestor.IngestStateAsync(Gateway, Json(new SourceState("gw-2", true, null, Now)), CancellationToken.None);

        Assert.That(rejection, Is.EqualTo(new Rejection(RejectionCause.SourceMismatch, "sourceId: expected 'gw-1' (the source in the topic), found 'gw-2'")));
        Assert.That(_store.Writes, Is.Zero);
    }

    [Test]
    public async Task A_malformed_source_state_is_refused_and_counted()
    {
        var rejection = await _ingestor.IngestStateAsync(Gateway, Utf8("""{"sourceId":"gw-1"}"""), CancellationToken.None);

        Assert.That(rejection?.Cause, Is.EqualTo(RejectionCause.MalformedPayload));
        Assert.That(rejection?.Reason, Does.StartWith("payload").And.Contain("expected a source state as JSON"));
        Assert.That(_ingestor.Snapshot().StatesRejected, Is.EqualTo(1));
    }

    [Test]
    public async Task After_a_store_failure_later_batches_of_the_stream_wait_so_the_watermark_never_skips_records()
    {
        _store.FailWith = new IOException("disk full");
        await Assert.ThrowsAsync<IOException>(async () => await _ingestor.IngestBatchAsync(Gateway, Seqs(1, 2), CancellationToken.None));
        _store.FailWith = null;

        await Assert.ThrowsAsync<BatchHeldBackException>(async () => await _ingestor.IngestBatchAsync(Gateway, Seqs(3, 4), CancellationToken.None));
        var otherSource = await _ingestor.IngestBatchAsync("gw-2", Seqs(1) with { Source = "gw-2" }, CancellationToken.None);
        await _ingestor.IngestBatchAsync(Gateway, Seqs(1, 2), CancellationToken.None);
        var after = await _ingestor.IngestBatchAsync(Gateway, Seqs(3, 4), CancellationToken.None);

        Assert.That(otherSource.Status, Is.EqualTo(AckStatus.Persisted), "other sources are not held back");
        Assert.That(after, Is.EqualTo(new DeliveryAck("telemetry", 3, 4, AckStatus.Persisted, 2, 0)));
        Assert.That(_store.Records.Select(record => record.Seq), Is.EqualTo(new long[] { 1, 1, 2, 3, 4 }));
    }
}
