using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// Readings and events taken from the pollers but not yet committed: a few hundred in normal operation, up to
/// <c>capacity</c> while the disk refuses writes. When full, the outbox's priority applies here too: the oldest routine
/// telemetry gives way first, then the oldest billing reading, events last; every drop is counted.
/// </summary>
internal sealed class PendingRecords(int capacity)
{
    private readonly Queue<DeviceReading> _telemetry = new();
    private readonly Queue<DeviceReading> _billing = new();
    private readonly Queue<DeviceEvent> _events = new();

    public int Count => _telemetry.Count + _billing.Count + _events.Count;

    public int Readings => _telemetry.Count + _billing.Count;

    public int Events => _events.Count;

    /// <summary>Adds a reading; returns the stream of a record dropped to make room, or null.</summary>
    public string? Add(DeviceReading reading)
    {
        (reading.Stream == Streams.Billing ? _billing : _telemetry).Enqueue(reading);
        return DropIfFull();
    }

    /// <summary>Adds an event; returns the stream of a record dropped to make room, or null.</summary>
    public string? Add(DeviceEvent deviceEvent)
    {
        _events.Enqueue(deviceEvent);
        return DropIfFull();
    }

    /// <summary>Adds the outbox's own report of a write failure: never dropped, so it may exceed the capacity by a few.</summary>
    public void AddReport(DeviceEvent report) => _events.Enqueue(report);

    /// <summary>Up to <paramref name="max"/> readings and <paramref name="max"/> events, oldest first, removed from the queue.</summary>
    public (List<DeviceReading> Readings, List<DeviceEvent> Events) Take(int max)
    {
        var readings = new List<DeviceReading>(Math.Min(max, Readings));
        while (readings.Count < max && _billing.TryDequeue(out var billing))
            readings.Add(billing);
        while (readings.Count < max && _telemetry.TryDequeue(out var telemetry))
            readings.Add(telemetry);
        var events = new List<DeviceEvent>(Math.Min(max, Events));
        while (events.Count < max && _events.TryDequeue(out var deviceEvent))
            events.Add(deviceEvent);
        return (readings, events);
    }

    private string? DropIfFull()
    {
        if (Count <= capacity)
            return null;
        if (_telemetry.TryDequeue(out _))
            return Streams.Telemetry;
        if (_billing.TryDequeue(out _))
            return Streams.Billing;
        _events.Dequeue();
        return Streams.Events;
    }
}
