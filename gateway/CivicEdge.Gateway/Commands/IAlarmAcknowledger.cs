namespace CivicEdge.Gateway.Commands;

/// <summary>Takes an operator's acknowledgement of an alarm the gateway itself raised (an edge rule's), from the fleet.</summary>
public interface IAlarmAcknowledger
{
    /// <summary>True when the alarm was active here and is now acknowledged (or already was); false when it is not active.</summary>
    bool Acknowledge(string deviceId, string alarm, string? by);
}
