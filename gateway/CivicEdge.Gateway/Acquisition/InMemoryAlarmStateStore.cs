using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Alarm state for the life of the process only: a restart raises standing alarms again.</summary>
public sealed class InMemoryAlarmStateStore : IAlarmStateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string DeviceId, string Code), RaisedAlarm> _raised = [];

    public IReadOnlyList<RaisedAlarm> Raised(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        lock (_gate)
            return [.. _raised.Values.Where(a => a.DeviceId == deviceId).OrderBy(a => a.Code, StringComparer.Ordinal)];
    }

    public void Record(IReadOnlyList<DeviceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            foreach (var e in events)
            {
                if (e.State == EventState.Raised)
                    _raised[(e.DeviceId, e.Code)] = new RaisedAlarm(e.DeviceId, e.Code, e.Severity, e.Point, e.Timestamp);
                else if (e.State == EventState.Cleared)
                    _raised.Remove((e.DeviceId, e.Code));
            }
        }
    }
}
