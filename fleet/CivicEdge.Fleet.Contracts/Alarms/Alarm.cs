namespace CivicEdge.Fleet.Contracts.Alarms;

/// <summary>An alarm: one condition of one device, from its first raise until it is closed.</summary>
/// <param name="Id">Numbered by the fleet, 1, 2, 3, …</param>
/// <param name="Device">The device the condition is about.</param>
/// <param name="Type">The condition: the event code (<c>voltage_l1.high</c>, <c>comm_lost</c>) or <c>offline</c>.</param>
/// <param name="Severity">How urgent it is; the highest a repeat brought.</param>
/// <param name="Source">Device, edge rule or fleet.</param>
/// <param name="Message">The latest message raising it.</param>
/// <param name="State">Where it stands.</param>
/// <param name="FirstRaised">When the condition was first detected.</param>
/// <param name="LastRaised">When it was last detected again.</param>
/// <param name="Count">How often it was raised while open.</param>
/// <param name="Assignee">Who handles it, once assigned.</param>
/// <param name="Tenant">The device's owner when the alarm was raised.</param>
/// <param name="District">The device's district when the alarm was raised.</param>
/// <param name="History">Every step, oldest first, the raise included.</param>
/// <param name="Revision">Raised on every change; a store refuses a change made to an older revision.</param>
public sealed record Alarm(
    long Id,
    string Device,
    string Type,
    EventSeverity Severity,
    AlarmSource Source,
    string Message,
    AlarmState State,
    DateTimeOffset FirstRaised,
    DateTimeOffset LastRaised,
    int Count,
    string? Assignee,
    string? Tenant,
    string? District,
    IReadOnlyList<AlarmStep> History,
    long Revision)
{
    /// <summary>Raised, acknowledged or assigned: the condition may still stand.</summary>
    public bool IsOpen => State is AlarmState.Raised or AlarmState.Acknowledged or AlarmState.Assigned;
}
