using CivicEdge.Firmware.Core.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Scheduling;

/// <summary>A job that records when it ran, and can take time or throw as a real one might.</summary>
internal sealed class RecordingJob(FakeTimeProvider time) : IScheduledJob
{
    public List<long> RanAt { get; } = [];

    /// <summary>How long each run takes (simulated time moves on by this much).</summary>
    public int TakesMilliseconds { get; set; }

    public Exception? Throws { get; set; }

    public Action? During { get; set; }

    public void Run(long uptimeMilliseconds)
    {
        RanAt.Add(uptimeMilliseconds);
        During?.Invoke();
        if (TakesMilliseconds > 0)
            time.Advance(TimeSpan.FromMilliseconds(TakesMilliseconds));
        if (Throws is not null)
            throw Throws;
    }
}
