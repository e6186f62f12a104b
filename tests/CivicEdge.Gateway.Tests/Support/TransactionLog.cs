namespace CivicEdge.Gateway.Tests.Support;

/// <summary>Records the transactions of several fake buses: who was asked when, and how many were in flight at once.</summary>
internal sealed class TransactionLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _inFlight = [];
    private readonly Dictionary<string, int> _maxInFlight = [];
    private readonly List<(string Bus, byte Unit, DateTimeOffset Start)> _started = [];
    private int _totalInFlight;

    /// <summary>The most transactions in flight at once, over all buses.</summary>
    public int MaxInFlightOverall { get; private set; }

    public IReadOnlyList<(string Bus, byte Unit, DateTimeOffset Start)> Started
    {
        get
        {
            lock (_gate)
                return [.. _started];
        }
    }

    public int InFlight(string bus)
    {
        lock (_gate)
            return _inFlight.GetValueOrDefault(bus);
    }

    public int MaxInFlight(string bus)
    {
        lock (_gate)
            return _maxInFlight.GetValueOrDefault(bus);
    }

    public int Count(byte unit)
    {
        lock (_gate)
            return _started.Count(s => s.Unit == unit);
    }

    public void Begin(string bus, byte unit, DateTimeOffset now)
    {
        lock (_gate)
        {
            _started.Add((bus, unit, now));
            var inFlight = _inFlight[bus] = _inFlight.GetValueOrDefault(bus) + 1;
            _maxInFlight[bus] = Math.Max(_maxInFlight.GetValueOrDefault(bus), inFlight);
            MaxInFlightOverall = Math.Max(MaxInFlightOverall, ++_totalInFlight);
        }
    }

    public void End(string bus)
    {
        lock (_gate)
        {
            _inFlight[bus]--;
            _totalInFlight--;
        }
    }
}
