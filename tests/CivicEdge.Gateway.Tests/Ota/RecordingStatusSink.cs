using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>Keeps every numbered report handed to it, in order.</summary>
internal sealed class RecordingStatusSink : IOtaStatusSink
{
    private readonly ConcurrentQueue<OtaStatusReport> _reports = new();

    public IReadOnlyList<OtaStatusReport> Reports => [.. _reports];

    public IReadOnlyList<OtaStatusReport> Of(string target) => [.. _reports.Where(r => r.Target == target)];

    public ValueTask SendAsync(OtaStatusReport report, CancellationToken cancellationToken)
    {
        _reports.Enqueue(report);
        return ValueTask.CompletedTask;
    }
}
