using System.Buffers;
using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// Stores what sources publish about themselves: the twin's reported state (<see cref="Topics.Reported"/>) and the
/// health report (<see cref="Topics.Health"/>), the latest of each per source. A payload that cannot be read, or that
/// names another source than its topic, is refused, counted and logged; nothing is answered on the wire.
/// </summary>
public sealed partial class TwinIngestor(IFleetStore store, TimeProvider timeProvider, ILogger<TwinIngestor> logger)
{
    private long _reportedRecorded;
    private long _healthRecorded;
    private long _rejected;

    /// <summary>Reported states stored.</summary>
    public long ReportedRecorded => Interlocked.Read(ref _reportedRecorded);

    /// <summary>Health reports stored.</summary>
    public long HealthRecorded => Interlocked.Read(ref _healthRecorded);

    /// <summary>Payloads refused.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Reads and stores a reported state published on <c>civic/v1/{topicSourceId}/reported</c>.</summary>
    /// <returns>Null when stored; the refusal otherwise.</returns>
    public async Task<Rejection?> IngestReportedAsync(string topicSourceId, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        if (!UplinkJson.TryRead(payload, ContractsJson.Default.ReportedState, "a reported state", out var state, out var reason))
            return Reject(topicSourceId, "reported", new Rejection(RejectionCause.MalformedPayload, reason));
        if (Mismatch(topicSourceId, state.SourceId) is { } mismatch)
            return Reject(topicSourceId, "reported", mismatch);

        await store.RecordReportedAsync(state, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _reportedRecorded);
        LogReported(logger, topicSourceId, state.Origin, state.AppliedVersion, state.LastDesired?.Version, state.LastDesired?.Status);
        return null;
    }

    /// <summary>Reads and stores a health report published on <c>civic/v1/{topicSourceId}/health</c>.</summary>
    /// <returns>Null when stored; the refusal otherwise.</returns>
    public async Task<Rejection?> IngestHealthAsync(string topicSourceId, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        if (!UplinkJson.TryRead(payload, ContractsJson.Default.HealthReport, "a health report", out var report, out var reason))
            return Reject(topicSourceId, "health", new Rejection(RejectionCause.MalformedPayload, reason));
        if (Mismatch(topicSourceId, report.SourceId) is { } mismatch)
            return Reject(topicSourceId, "health", mismatch);

        await store.RecordHealthAsync(report, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _healthRecorded);
        return null;
    }

    private static Rejection? Mismatch(string topicSourceId, string sourceId) =>
        string.Equals(topicSourceId, sourceId, StringComparison.Ordinal)
            ? null
            : new Rejection(
                RejectionCause.SourceMismatch,
                $"sourceId: expected {TelemetryBatchValidator.Quote(topicSourceId)} (the source in the topic), found {TelemetryBatchValidator.Quote(sourceId)}");

    private Rejection Reject(string sourceId, string kind, Rejection rejection)
    {
        Interlocked.Increment(ref _rejected);
        LogRejected(logger, kind, sourceId, rejection.Cause, rejection.Reason);
        return rejection;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Twin of {SourceId} reported: running the {Origin} configuration (desired version {Applied}); latest desired version {Version} {Status}")]
    private static partial void LogReported(ILogger logger, string sourceId, ConfigurationOrigin origin, long? applied, long? version, ConfigurationStatus? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected the {Kind} message of source {SourceId} ({Cause}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string kind, string sourceId, RejectionCause cause, string reason);
}
