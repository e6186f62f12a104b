namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Where the alarms raised and not yet cleared are kept, so that a gateway that restarts while an alarm stands does not
/// raise it again, and clears it when the condition has gone. The state is a projection of the alarm events themselves:
/// a raise adds an alarm, a clear removes it.
/// </summary>
public interface IAlarmStateStore
{
    /// <summary>The alarms of <paramref name="deviceId"/> that stand.</summary>
    IReadOnlyList<RaisedAlarm> Raised(string deviceId);

    /// <summary>Applies raises and clears, once they have been handed on to the outbox.</summary>
    /// <exception cref="IOException">The state could not be saved; the events themselves are not affected.</exception>
    void Record(IReadOnlyList<DeviceEvent> events);
}
