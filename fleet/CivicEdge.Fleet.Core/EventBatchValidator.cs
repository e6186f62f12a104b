using System.Globalization;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Checks an event batch against the delivery contract before anything of it is stored, with the same names, limits
/// and sequence rules as telemetry. Pure: no I/O, never throws on bad data, and a refusal names the field
/// (<c>records[3].code</c>), what was expected and what was found.
/// </summary>
public sealed class EventBatchValidator
{
    /// <summary>The longest event message, in characters.</summary>
    public const int MaxMessageLength = 1024;

    private static readonly string StateNames = string.Join(", ", Enum.GetNames<EventState>().Select(Camel));
    private static readonly string SeverityNames = string.Join(", ", Enum.GetNames<EventSeverity>().Select(Camel));

    private readonly TelemetryIngestOptions _options;
    private readonly TelemetryBatchValidator _names;

    public EventBatchValidator(TelemetryIngestOptions options)
    {
        _names = new TelemetryBatchValidator(options);
        _options = options;
    }

    /// <summary>Null when the batch may be stored; otherwise the first problem found, in document order.</summary>
    /// <param name="topicSourceId">The source named by the topic the batch arrived on.</param>
    /// <param name="batch">The batch as received.</param>
    public Rejection? Validate(string topicSourceId, EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        ArgumentNullException.ThrowIfNull(batch);

        if (!string.Equals(batch.Source, topicSourceId, StringComparison.Ordinal))
        {
            return new Rejection(
                RejectionCause.SourceMismatch,
                $"source: expected {TelemetryBatchValidator.Quote(topicSourceId)} (the source in the topic), found {TelemetryBatchValidator.Quote(batch.Source)}");
        }

        var problem = _names.CheckName(batch.Source, "source", "a source id", RejectionCause.InvalidSourceId);
        if (problem is not null)
            return problem;
        if (!string.Equals(batch.Stream, Streams.Events, StringComparison.Ordinal))
            return new Rejection(RejectionCause.InvalidStream, $"stream: expected '{Streams.Events}' on the events topic, found {TelemetryBatchValidator.Quote(batch.Stream)}");

        if (batch.Records is null)
            return new Rejection(RejectionCause.MalformedPayload, "records: expected an array of events, found null");
        if (batch.Records.Count == 0 || batch.Records.Count > _options.MaxRecordsPerBatch)
            return new Rejection(RejectionCause.BatchSize, $"records: expected 1 to {_options.MaxRecordsPerBatch} events, found {batch.Records.Count}");

        var previousSeq = 0L;
        for (var i = 0; i < batch.Records.Count; i++)
        {
            var record = batch.Records[i];
            var where = $"records[{i}]";
            if (record is null)
                return new Rejection(RejectionCause.MalformedPayload, $"{where}: expected an event, found null");
            if (record.Seq <= previousSeq)
                return new Rejection(RejectionCause.SequenceOrder, $"{where}.seq: expected {(i == 0 ? "≥ 1" : $"> {previousSeq}")}, found {record.Seq}");
            previousSeq = record.Seq;

            problem = _names.CheckDeviceId(record.DeviceId, $"{where}.deviceId")
                ?? _names.CheckName(record.Code, $"{where}.code", "an event code", RejectionCause.InvalidEvent)
                ?? CheckEvent(record, where);
            if (problem is not null)
                return problem;
        }

        return null;
    }

    private Rejection? CheckEvent(EventRecord record, string where)
    {
        if (!Enum.IsDefined(record.State))
            return new Rejection(RejectionCause.InvalidEvent, $"{where}.state: expected one of {StateNames}, found {(int)record.State}");
        if (!Enum.IsDefined(record.Severity))
            return new Rejection(RejectionCause.InvalidEvent, $"{where}.severity: expected one of {SeverityNames}, found {(int)record.Severity}");
        if (string.IsNullOrWhiteSpace(record.Message))
            return new Rejection(RejectionCause.InvalidEvent, $"{where}.message: expected a text for people, found {TelemetryBatchValidator.Quote(record.Message)}");
        if (record.Message.Length > MaxMessageLength)
            return new Rejection(RejectionCause.InvalidEvent, $"{where}.message: expected at most {MaxMessageLength} characters, found {record.Message.Length}");
        if (record.Point is not null && _names.CheckName(record.Point, $"{where}.point", "a point name", RejectionCause.InvalidEvent) is { } point)
            return point;
        if (record.Value is { } value && !double.IsFinite(value))
            return new Rejection(RejectionCause.NonFiniteValue, $"{where}.value: expected a finite number or null, found {value.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
