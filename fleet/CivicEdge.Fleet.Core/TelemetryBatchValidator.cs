using System.Globalization;
using System.Text;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Checks a telemetry batch against the delivery contract before anything of it is stored. Pure: no I/O, never throws
/// on bad data, and a refusal names the field (<c>records[3].seq</c>), what was expected and what was found.
/// </summary>
public sealed class TelemetryBatchValidator
{
    private const int QuotedLength = 64;

    private static readonly string QualityNames = string.Join(
        ", ",
        Enum.GetNames<Quality>().Select(name => char.ToLowerInvariant(name[0]) + name[1..]));

    private readonly TelemetryIngestOptions _options;

    public TelemetryBatchValidator(TelemetryIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRecordsPerBatch, 1, nameof(options.MaxRecordsPerBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPointsPerRecord, 1, nameof(options.MaxPointsPerRecord));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxNameLength, 1, nameof(options.MaxNameLength));
        _options = options;
    }

    /// <summary>Null when the batch may be stored; otherwise the first problem found, in document order.</summary>
    /// <param name="topicSourceId">The source named by the topic the batch arrived on.</param>
    /// <param name="batch">The batch as received.</param>
    public Rejection? Validate(string topicSourceId, TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        ArgumentNullException.ThrowIfNull(batch);

        if (!string.Equals(batch.Source, topicSourceId, StringComparison.Ordinal))
        {
            return new Rejection(
                RejectionCause.SourceMismatch,
                $"source: expected {Quote(topicSourceId)} (the source in the topic), found {Quote(batch.Source)}");
        }

        var problem = CheckName(batch.Source, "source", "a source id", RejectionCause.InvalidSourceId)
            ?? CheckName(batch.Stream, "stream", "a stream name", RejectionCause.InvalidStream);
        if (problem is not null)
            return problem;

        if (batch.Records is null)
            return new Rejection(RejectionCause.MalformedPayload, "records: expected an array of records, found null");

        if (batch.Records.Count == 0 || batch.Records.Count > _options.MaxRecordsPerBatch)
        {
            return new Rejection(
                RejectionCause.BatchSize,
                $"records: expected 1 to {_options.MaxRecordsPerBatch} records, found {batch.Records.Count}");
        }

        var previousSeq = 0L;
        for (var i = 0; i < batch.Records.Count; i++)
        {
            var record = batch.Records[i];
            var where = $"records[{i}]";
            if (record is null)
                return new Rejection(RejectionCause.MalformedPayload, $"{where}: expected a record, found null");

            if (record.Seq <= previousSeq)
            {
                var expected = i == 0 ? "≥ 1" : $"> {previousSeq}";
                return new Rejection(RejectionCause.SequenceOrder, $"{where}.seq: expected {expected}, found {record.Seq}");
            }

            previousSeq = record.Seq;
            problem = CheckDeviceId(record.DeviceId, $"{where}.deviceId") ?? CheckPoints(record.Points, where);
            if (problem is not null)
                return problem;
        }

        return null;
    }

    internal Rejection? CheckDeviceId(string? deviceId, string where)
    {
        var problem = CheckName(deviceId, where, "a device id", RejectionCause.InvalidDeviceId);
        if (problem is null && !Topics.IsValidSegment(deviceId!))
        {
            problem = new Rejection(
                RejectionCause.InvalidDeviceId,
                $"{where}: expected a device id usable as one MQTT topic level (no '/', '+' or '#'), found {Quote(deviceId)}");
        }

        return problem;
    }

    private Rejection? CheckPoints(IReadOnlyList<PointValue>? points, string recordWhere)
    {
        var where = $"{recordWhere}.points";
        if (points is null)
            return new Rejection(RejectionCause.MalformedPayload, $"{where}: expected an array of points, found null");

        if (points.Count == 0 || points.Count > _options.MaxPointsPerRecord)
        {
            return new Rejection(
                RejectionCause.InvalidPoint,
                $"{where}: expected 1 to {_options.MaxPointsPerRecord} points, found {points.Count}");
        }

        for (var j = 0; j < points.Count; j++)
        {
            var point = points[j];
            var pointWhere = $"{where}[{j}]";
            if (point is null)
                return new Rejection(RejectionCause.MalformedPayload, $"{pointWhere}: expected a point, found null");

            var problem = CheckName(point.Name, $"{pointWhere}.name", "a point name", RejectionCause.InvalidPoint)
                ?? CheckUnique(points, j, pointWhere)
                ?? CheckName(point.Unit, $"{pointWhere}.unit", "a unit symbol", RejectionCause.InvalidPoint);
            if (problem is not null)
                return problem;

            if (!double.IsFinite(point.Value))
            {
                return new Rejection(
                    RejectionCause.NonFiniteValue,
                    $"{pointWhere}.value: expected a finite number, found {point.Value.ToString(CultureInfo.InvariantCulture)}");
            }

            if (!Enum.IsDefined(point.Quality))
            {
                return new Rejection(
                    RejectionCause.InvalidPoint,
                    $"{pointWhere}.quality: expected one of {QualityNames}, found {(int)point.Quality}");
            }
        }

        return null;
    }

    private static Rejection? CheckUnique(IReadOnlyList<PointValue> points, int index, string where)
    {
        var name = points[index].Name;
        for (var k = 0; k < index; k++)
        {
            if (string.Equals(points[k].Name, name, StringComparison.Ordinal))
            {
                return new Rejection(
                    RejectionCause.InvalidPoint,
                    $"{where}.name: expected a name not used earlier in the record, found {Quote(name)} again (first at points[{k}])");
            }
        }

        return null;
    }

    internal Rejection? CheckName(string? value, string where, string what, RejectionCause cause)
    {
        if (string.IsNullOrEmpty(value))
            return new Rejection(cause, $"{where}: expected {what}, found {(value is null ? "null" : "''")}");

        if (value.Length > _options.MaxNameLength)
        {
            return new Rejection(
                cause,
                $"{where}: expected {what} of at most {_options.MaxNameLength} characters, found {value.Length} characters");
        }

        var control = value.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (control < 0)
            control = value.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');

        return control < 0
            ? null
            : new Rejection(cause, $"{where}: expected {what} without control characters, found {Quote(value)} (control character at index {control})");
    }

    /// <summary>Quotes a value for a reason text: control characters escaped, long values cut.</summary>
    internal static string Quote(string? value)
    {
        if (value is null)
            return "null";

        var text = new StringBuilder(Math.Min(value.Length, QuotedLength) + 4).Append('\'');
        foreach (var c in value.Length > QuotedLength ? value[..QuotedLength] : value)
        {
            if (char.IsControl(c))
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                text.Append(c);
        }

        if (value.Length > QuotedLength)
            text.Append('…');

        return text.Append('\'').ToString();
    }
}
