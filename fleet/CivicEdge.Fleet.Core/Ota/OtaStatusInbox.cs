using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Status reports received over MQTT, held until the campaign runner's next step applies them. Bounded: past
/// <see cref="Capacity"/> a report is refused and counted, and the installer's next report (or its repeat after a
/// reconnect) carries the news again, since every report says where the update stands as a whole.
/// </summary>
public sealed class OtaStatusInbox(int capacity = 100_000)
{
    private readonly ConcurrentQueue<ReceivedOtaStatus> _reports = new();
    private int _count;
    private long _refused;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "expected a capacity of at least 1");

    /// <summary>Reports refused because the inbox was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Holds <paramref name="report"/>, received from <paramref name="source"/>; false (and counted) when the inbox is full.</summary>
    public bool Post(string source, OtaStatusReport report) => Post(new ReceivedOtaStatus(source, report));

    private bool Post(ReceivedOtaStatus report)
    {
        ArgumentNullException.ThrowIfNull(report.Report);
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _refused);
            return false;
        }
        _reports.Enqueue(report);
        return true;
    }

    /// <summary>Takes every report held, in the order received.</summary>
    public IReadOnlyList<ReceivedOtaStatus> Drain()
    {
        var taken = new List<ReceivedOtaStatus>();
        while (_reports.TryDequeue(out var report))
        {
            Interlocked.Decrement(ref _count);
            taken.Add(report);
        }
        return taken;
    }

    /// <summary>Puts back reports a step took but could not keep (another writer moved the campaign on first).</summary>
    public void Return(IEnumerable<ReceivedOtaStatus> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        foreach (var report in reports)
            Post(report);
    }
}
