using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>Keeps every phase the relay reports, in order.</summary>
internal sealed class RecordingUpdateReporter : IFieldUpdateReporter
{
    private readonly ConcurrentQueue<(OtaPhase Phase, string? RunningVersion, string? Reason)> _reports = new();

    public IReadOnlyList<OtaPhase> Phases => [.. _reports.Select(r => r.Phase)];

    public (OtaPhase Phase, string? RunningVersion, string? Reason) Last => _reports.Last();

    public ValueTask ReportAsync(OtaPhase phase, long? bytesReceived, string? runningVersion, string? reason, CancellationToken cancellationToken)
    {
        _reports.Enqueue((phase, runningVersion, reason));
        return ValueTask.CompletedTask;
    }
}
