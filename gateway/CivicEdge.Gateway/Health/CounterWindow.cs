using CivicEdge.Gateway.Acquisition;

namespace CivicEdge.Gateway.Health;

/// <summary>
/// Snapshots of every device's counters over the last <c>window</c>, so that error rates are judged over a fixed span
/// rather than since start (a device that erred for an hour last week is not degraded now). Keeps at most about ten
/// snapshots per window.
/// </summary>
public sealed class CounterWindow(TimeSpan window)
{
    private const int SamplesPerWindow = 10;

    private readonly Queue<(DateTimeOffset At, Dictionary<string, DeviceCounters> Counters)> _samples = new();
    private readonly Lock _gate = new();

    /// <summary>The span rates are judged over.</summary>
    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window));

    /// <summary>
    /// Records <paramref name="counters"/> taken at <paramref name="at"/> and returns, per device, the oldest counters
    /// within the window and when they were taken; a device missing there started within the window.
    /// </summary>
    public IReadOnlyDictionary<string, (DeviceCounters Counters, DateTimeOffset At)> Add(DateTimeOffset at, IReadOnlyList<DeviceCounters> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        lock (_gate)
        {
            while (_samples.Count > 0 && _samples.Peek().At < at - Window)
                _samples.Dequeue();

            var baselines = new Dictionary<string, (DeviceCounters, DateTimeOffset)>(StringComparer.Ordinal);
            foreach (var (sampleAt, sample) in _samples)
            {
                foreach (var (id, old) in sample)
                    baselines.TryAdd(id, (old, sampleAt));
            }

            var newest = _samples.Count > 0 ? _samples.Last().At : DateTimeOffset.MinValue;
            if (at - newest >= Window / SamplesPerWindow)
                _samples.Enqueue((at, counters.ToDictionary(c => c.DeviceId, StringComparer.Ordinal)));
            return baselines;
        }
    }
}
