namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The outbox writer's account of the disk, readable at any time by the health report: thread-safe, written by
/// <see cref="OutboxWriter"/> only.
/// </summary>
public sealed class StorageHealth(DatabaseRecovery recovery)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _lost = new(StringComparer.Ordinal);
    private StorageCondition _condition = StorageCondition.Healthy;
    private DateTimeOffset? _since;
    private string? _lastError;
    private int _buffered;
    private bool _overflowing;

    public StorageStatus Snapshot()
    {
        lock (_gate)
        {
            return new StorageStatus(
                _condition,
                _since,
                _lastError,
                _buffered,
                new Dictionary<string, long>(_lost, StringComparer.Ordinal),
                _overflowing,
                recovery);
        }
    }

    internal void Failing(StorageCondition condition, DateTimeOffset at, string error)
    {
        lock (_gate)
        {
            if (_condition != condition)
                _since = at;
            _condition = condition;
            _lastError = error;
        }
    }

    internal void Healthy(DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_condition != StorageCondition.Healthy)
                _since = at;
            _condition = StorageCondition.Healthy;
        }
    }

    internal void Buffered(int count)
    {
        lock (_gate)
            _buffered = count;
    }

    internal void Lost(string stream)
    {
        lock (_gate)
            _lost[stream] = _lost.GetValueOrDefault(stream) + 1;
    }

    internal void Overflowing(bool overflowing)
    {
        lock (_gate)
            _overflowing = overflowing;
    }
}
