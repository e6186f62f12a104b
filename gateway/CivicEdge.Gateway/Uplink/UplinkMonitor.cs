using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Storage;
using LiteDB;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Counts what the uplink does, for the health report: written by <see cref="UplinkService"/> and
/// <see cref="OutboxDelivery"/>, read by anyone through <see cref="Snapshot"/>. Thread-safe.
/// </summary>
public sealed class UplinkMonitor(Outbox outbox, TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long[]> _counters = OutboxDelivery.DeliveryOrder.ToDictionary(stream => stream, _ => new long[5], StringComparer.Ordinal);
    private bool _connected;
    private DateTimeOffset? _since;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private int _failedAttempts;

    private enum Counter
    {
        Sent,
        Resent,
        Acknowledged,
        Rejected,
        Live,
    }

    /// <summary>The connection's state for the health report: connected, since when, the last error, failed attempts in a row.</summary>
    public UplinkHealth Health
    {
        get
        {
            lock (_gate)
                return new UplinkHealth(_connected, _since, _lastError, _lastErrorAt, _failedAttempts);
        }
    }

    public UplinkStatus Snapshot()
    {
        var streams = new List<UplinkStreamStatus>();
        foreach (var stream in OutboxDelivery.DeliveryOrder)
        {
            OutboxStatus? status;
            try
            {
                status = outbox.Status(stream);
            }
            catch (Exception ex) when (ex is IOException or LiteException or ObjectDisposedException)
            {
                status = null;
            }

            lock (_gate)
            {
                var counters = _counters[stream];
                streams.Add(new UplinkStreamStatus(
                    stream,
                    counters[(int)Counter.Sent],
                    counters[(int)Counter.Resent],
                    counters[(int)Counter.Acknowledged],
                    counters[(int)Counter.Rejected],
                    counters[(int)Counter.Live],
                    status?.Depth,
                    status?.OldestTimestamp));
            }
        }

        lock (_gate)
            return new UplinkStatus(_connected, _since, _lastError, _lastErrorAt, streams);
    }

    internal void Connected()
    {
        lock (_gate)
        {
            _connected = true;
            _since = timeProvider.GetUtcNow();
            _failedAttempts = 0;
        }
    }

    internal void Disconnected(string? error)
    {
        lock (_gate)
        {
            if (_connected || _since is null)
                _since = timeProvider.GetUtcNow();
            else if (error is not null)
                _failedAttempts++;
            _connected = false;
            if (error is not null)
            {
                _lastError = error;
                _lastErrorAt = timeProvider.GetUtcNow();
            }
        }
    }

    internal void Sent(string stream, int records) => Add(stream, Counter.Sent, records);

    internal void Resent(string stream, int records) => Add(stream, Counter.Resent, records);

    internal void Acknowledged(string stream, int records) => Add(stream, Counter.Acknowledged, records);

    internal void Rejected(string stream, int records) => Add(stream, Counter.Rejected, records);

    internal void Live(string stream, int records) => Add(stream, Counter.Live, records);

    private void Add(string stream, Counter counter, int records)
    {
        lock (_gate)
        {
            if (_counters.TryGetValue(stream, out var counters))
                counters[(int)counter] += records;
        }
    }
}
