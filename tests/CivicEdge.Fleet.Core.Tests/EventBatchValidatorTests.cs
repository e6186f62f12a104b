using CivicEdge.Fleet.Contracts;
using static CivicEdge.Fleet.Core.Tests.TestBatches;

namespace CivicEdge.Fleet.Core.Tests;

[TestFixture]
[Category("Unit")]
public sealed class EventBatchValidatorTests
{
    private readonly EventBatchValidator _validator = new(new TelemetryIngestOptions { MaxRecordsPerBatch = 5 });

    [Test]
    public void A_well_formed_batch_passes()
    {
        Assert.That(_validator.Validate(Gateway, Events(Alarm(1), Alarm(2) with { Point = null, Value = null })), Is.Null);
    }

    [Test]
    public void A_batch_on_another_source_topic_is_refused()
    {
        var rejection = _validator.Validate("gw-other", Events(Alarm(1)));

        Assert.That(rejection, Is.EqualTo(new Rejection(RejectionCause.SourceMismatch, "source: expected 'gw-other' (the source in the topic), found 'gw-1'")));
    }

    [Test]
    public void Events_must_be_numbered_in_the_events_stream()
    {
        var rejection = _validator.Validate(Gateway, Events(Alarm(1)) with { Stream = Streams.Telemetry });

        Assert.That(rejection, Is.EqualTo(new Rejection(RejectionCause.InvalidStream, "stream: expected 'events' on the events topic, found 'telemetry'")));
    }

    [TestCase(new long[] { 0 }, "records[0].seq: expected ≥ 1, found 0")]
    [TestCase(new long[] { 3, 3 }, "records[1].seq: expected > 3, found 3")]
    public void Sequence_numbers_must_rise(long[] seqs, string reason)
    {
        var rejection = _validator.Validate(Gateway, Events([.. seqs.Select(seq => Alarm(seq))]));

        Assert.That(rejection, Is.EqualTo(new Rejection(RejectionCause.SequenceOrder, reason)));
    }

    [Test]
    public void An_empty_or_oversized_batch_is_refused()
    {
        Assert.That(_validator.Validate(Gateway, Events())?.Reason, Is.EqualTo("records: expected 1 to 5 events, found 0"));
        Assert.That(_validator.Validate(Gateway, Events([.. Enumerable.Range(1, 6).Select(seq => Alarm(seq))]))?.Cause, Is.EqualTo(RejectionCause.BatchSize));
    }

    [Test]
    public void An_event_without_a_code_or_a_message_is_refused_naming_the_field()
    {
        Assert.That(_validator.Validate(Gateway, Events(Alarm(1), Alarm(2, code: ""))),
            Is.EqualTo(new Rejection(RejectionCause.InvalidEvent, "records[1].code: expected an event code, found ''")));
        Assert.That(_validator.Validate(Gateway, Events(Alarm(1) with { Message = " " })),
            Is.EqualTo(new Rejection(RejectionCause.InvalidEvent, "records[0].message: expected a text for people, found ' '")));
    }

    [Test]
    public void A_message_longer_than_the_limit_is_refused()
    {
        var rejection = _validator.Validate(Gateway, Events(Alarm(1) with { Message = new string('x', EventBatchValidator.MaxMessageLength + 1) }));

        Assert.That(rejection?.Reason, Is.EqualTo($"records[0].message: expected at most {EventBatchValidator.MaxMessageLength} characters, found {EventBatchValidator.MaxMessageLength + 1}"));
    }

    [Test]
    public void Unknown_states_and_severities_and_non_finite_values_are_refused()
    {
        Assert.That(_validator.Validate(Gateway, Events(Alarm(1) with { State = (EventState)7 }))?.Reason,
            Is.EqualTo("records[0].state: expected one of raised, cleared, occurred, found 7"));
        Assert.That(_validator.Validate(Gateway, Events(Alarm(1) with { Severity = (EventSeverity)9 }))?.Reason,
            Is.EqualTo("records[0].severity: expected one of info, warning, major, critical, found 9"));
        Assert.That(_validator.Validate(Gateway, Events(Alarm(1) with { Value = double.NaN })),
            Is.EqualTo(new Rejection(RejectionCause.NonFiniteValue, "records[0].value: expected a finite number or null, found NaN")));
    }

    [Test]
    public void A_device_id_that_is_not_one_topic_level_is_refused()
    {
        var rejection = _validator.Validate(Gateway, Events(Alarm(1, deviceId: "meter/1")));

        Assert.That(rejection?.Cause, Is.EqualTo(RejectionCause.InvalidDeviceId));
        Assert.That(rejection?.Reason, Does.StartWith("records[0].deviceId: expected a device id usable as one MQTT topic level"));
    }
}
