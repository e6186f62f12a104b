namespace CivicEdge.Gateway.Commands;

/// <summary>
/// At most N writes per device in any sliding minute. A write refused here is not counted, so a device is free again
/// as soon as its oldest write of the minute ages out.
/// </summary>
public sealed class WriteRateLimit(int maxPerMinute, TimeProvider timeProvider)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _writes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Takes one write for <paramref name="deviceId"/>; false, with when the next is allowed, when the minute is full.</summary>
    public bool TryTake(string deviceId, out DateTimeOffset nextAllowed)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_writes.TryGetValue(deviceId, out var writes))
                _writes[deviceId] = writes = new Queue<DateTimeOffset>();
            while (writes.Count > 0 && now - writes.Peek() >= Window)
                writes.Dequeue();
            if (writes.Count >= maxPerMinute)
            {
                nextAllowed = writes.Peek() + Window;
                return false;
            }

            writes.Enqueue(now);
            nextAllowed = now;
            return true;
        }
    }
}
