using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>Keeps every phase the relay reports, in order.</summary>
internal sealed class RecordingUpdateReporter : IFieldUpdateReporter
{
    private readonly ConcurrentQueue<(OtaPhase Phase, long? BytesReceived, string? RunningVersion, string? Reason)> _reports = new();

    public IReadOnlyList<OtaPhase> Phases => [.. _reports.Select(r => r.Phase)];

    /// <summary>The phases other than <c>downloading</c>, in order.</summary>
    public IReadOnlyList<OtaPhase> Steps => [.. _reports.Where(r => r.Phase != OtaPhase.Downloading).Select(r => r.Phase)];

    /// <summary>The bytes of every <c>downloading</c> report, in order.</summary>
    public IReadOnlyList<long?> Progress => [.. _reports.Where(r => r.Phase == OtaPhase.Downloading).Select(r => r.BytesReceived)];

    public (OtaPhase Phase, string? RunningVersion, string? Reason) Last => _reports.Select(r => (r.Phase, r.RunningVersion, r.Reason)).Last();

    public ValueTask ReportAsync(OtaPhase phase, long? bytesReceived, string? runningVersion, string? reason, CancellationToken cancellationToken)
    {
        _reports.Enqueue((phase, bytesReceived, runningVersion, reason));
        return ValueTask.CompletedTask;
    }
}
