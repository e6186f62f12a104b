using CivicEdge.Fleet.Contracts;
using static CivicEdge.Fleet.Core.Tests.TestBatches;

namespace CivicEdge.Fleet.Core.Tests;

[TestFixture]
[Category("Unit")]
public sealed class TelemetryBatchValidatorTests
{
    private readonly TelemetryBatchValidator _validator = new(new TelemetryIngestOptions { MaxRecordsPerBatch = 3, MaxPointsPerRecord = 2 });

    [Test]
    public void A_well_formed_batch_passes()
    {
        Assert.That(_validator.Validate(Gateway, Seqs(41, 42, 50)), Is.Null);
    }

    [Test]
    public void A_batch_naming_another_source_than_its_topic_is_refused()
    {
        var batch = Seqs(1) with { Source = "gw-2" };

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(RejectionCause.SourceMismatch, "source: expected 'gw-1' (the source in the topic), found 'gw-2'")));
    }

    [Test]
    public void A_batch_without_a_stream_name_is_refused()
    {
        Assert.That(
            _validator.Validate(Gateway, Seqs(1) with { Stream = "" }),
            Is.EqualTo(new Rejection(RejectionCause.InvalidStream, "stream: expected a stream name, found ''")));
    }

    [Test]
    public void A_stream_name_longer_than_the_limit_is_refused_with_its_length()
    {
        var validator = new TelemetryBatchValidator(new TelemetryIngestOptions { MaxNameLength = 8 });

        Assert.That(
            validator.Validate(Gateway, Seqs(1) with { Stream = "telemetry" })?.Reason,
            Is.EqualTo("stream: expected a stream name of at most 8 characters, found 9 characters"));
    }

    [TestCase(0)]
    [TestCase(4)]
    public void A_batch_with_no_record_or_too_many_is_refused(int count)
    {
        var batch = Seqs([.. Enumerable.Range(1, count).Select(seq => (long)seq)]);

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(RejectionCause.BatchSize, $"records: expected 1 to 3 records, found {count}")));
    }

    [Test]
    public void A_first_sequence_number_below_one_is_refused()
    {
        Assert.That(
            _validator.Validate(Gateway, Seqs(0, 1)),
            Is.EqualTo(new Rejection(RejectionCause.SequenceOrder, "records[0].seq: expected ≥ 1, found 0")));
    }

    [Test]
    public void A_sequence_number_not_above_the_one_before_is_refused_naming_the_record()
    {
        Assert.That(
            _validator.Validate(Gateway, Seqs(40, 41, 41)),
            Is.EqualTo(new Rejection(RejectionCause.SequenceOrder, "records[2].seq: expected > 41, found 41")));
    }

    [TestCase("meter/1")]
    [TestCase("meter+1")]
    [TestCase("meter#")]
    public void A_device_id_that_cannot_be_a_topic_level_is_refused(string deviceId)
    {
        var batch = Batch(Record(1), Record(2, deviceId));

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(
                RejectionCause.InvalidDeviceId,
                $"records[1].deviceId: expected a device id usable as one MQTT topic level (no '/', '+' or '#'), found '{deviceId}'")));
    }

    [Test]
    public void A_point_name_with_a_control_character_is_refused_and_shown_escaped()
    {
        var batch = Batch(Record(1, "meter-1", Voltage() with { Name = "volt\u0007" }));

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(
                RejectionCause.InvalidPoint,
                "records[0].points[0].name: expected a point name without control characters, found 'volt\\u0007' (control character at index 4)")));
    }

    [Test]
    public void A_point_name_used_twice_in_a_record_is_refused_naming_both_places()
    {
        var batch = Batch(Record(1, "meter-1", Voltage(), Voltage(231)));

        Assert.That(
            _validator.Validate(Gateway, batch)?.Reason,
            Is.EqualTo("records[0].points[1].name: expected a name not used earlier in the record, found 'voltage_l1' again (first at points[0])"));
    }

    [Test]
    public void A_record_with_no_point_or_too_many_is_refused()
    {
        var empty = Batch(new TelemetryRecord(1, "meter-1", null, T0, []));
        var crowded = Batch(Record(1, "meter-1", Voltage(), Voltage() with { Name = "b" }, Voltage() with { Name = "c" }));

        Assert.That(_validator.Validate(Gateway, empty)?.Reason, Is.EqualTo("records[0].points: expected 1 to 2 points, found 0"));
        Assert.That(_validator.Validate(Gateway, crowded)?.Reason, Is.EqualTo("records[0].points: expected 1 to 2 points, found 3"));
    }

    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "Infinity")]
    [TestCase(double.NegativeInfinity, "-Infinity")]
    public void A_value_that_is_not_finite_is_refused(double value, string shown)
    {
        var batch = Batch(Record(1, "meter-1", Voltage(value)));

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(RejectionCause.NonFiniteValue, $"records[0].points[0].value: expected a finite number, found {shown}")));
    }

    [Test]
    public void A_point_without_a_unit_is_refused()
    {
        var batch = Batch(Record(1, "meter-1", Voltage() with { Unit = "" }));

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(RejectionCause.InvalidPoint, "records[0].points[0].unit: expected a unit symbol, found ''")));
    }

    [Test]
    public void A_quality_outside_the_contract_is_refused_listing_the_known_ones()
    {
        var batch = Batch(Record(1, "meter-1", Voltage() with { Quality = (Quality)7 }));

        Assert.That(
            _validator.Validate(Gateway, batch)?.Reason,
            Is.EqualTo("records[0].points[0].quality: expected one of good, stale, commError, outOfRange, found 7"));
    }

    [Test]
    public void A_null_record_is_refused_as_malformed()
    {
        var batch = Batch(Record(1), null!);

        Assert.That(
            _validator.Validate(Gateway, batch),
            Is.EqualTo(new Rejection(RejectionCause.MalformedPayload, "records[1]: expected a record, found null")));
    }

    [Test]
    public void A_long_value_is_cut_in_the_reason()
    {
        var deviceId = "meter/" + new string('x', 100);

        var reason = _validator.Validate(Gateway, Batch(Record(1, deviceId)))?.Reason;

        Assert.That(reason, Does.EndWith($"found '{deviceId[..64]}…'"));
    }

    [Test]
    public void Limits_below_one_are_refused_when_the_validator_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TelemetryBatchValidator(new TelemetryIngestOptions { MaxRecordsPerBatch = 0 }));
    }
}
