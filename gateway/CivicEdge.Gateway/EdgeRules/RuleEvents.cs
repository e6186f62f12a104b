using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Hardware;
using CivicEdge.Rules.Evaluation;

namespace CivicEdge.Gateway.EdgeRules;

/// <summary>
/// What the rules decided, as events in the gateway's event stream, the one the profile alarms use: an alarm's code is
/// <c>rule.&lt;alarm&gt;</c> (the fleet's alarm feed takes that prefix as an edge rule's), raised and cleared once each;
/// an acknowledgement and a published event merely occur. The rule set and rule are named in the message.
/// </summary>
public static class RuleEvents
{
    /// <summary>The prefix of every event code an edge rule produces.</summary>
    public const string CodePrefix = "rule.";

    /// <summary>The event for <paramref name="intent"/>, or null for an intent that is not an event (a write, a virtual point).</summary>
    public static DeviceEvent? From(RuleIntent intent, string ruleSetId, string gatewayId)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var source = $"[rule {ruleSetId}/{intent.RuleId}]";
        return intent switch
        {
            RaiseAlarm raise => new DeviceEvent(raise.DeviceId, raise.At, CodePrefix + raise.Alarm, EventState.Raised, Severity(raise.Severity), $"{raise.Message} {source}"),
            ClearAlarm clear => new DeviceEvent(clear.DeviceId, clear.At, CodePrefix + clear.Alarm, EventState.Cleared, EventSeverity.Info,
                $"{clear.Alarm} cleared{(clear.WasAcknowledged ? " (it had been acknowledged)" : "")} {source}"),
            AcknowledgeAlarm ack => new DeviceEvent(ack.DeviceId, ack.At, $"{CodePrefix}{ack.Alarm}.acknowledged", EventState.Occurred, EventSeverity.Info,
                $"{ack.Alarm} acknowledged at the edge{(ack.By is { Length: > 0 } by ? $" for {by}" : "")} {source}"),
            PublishEvent publish => new DeviceEvent(publish.DeviceId ?? gatewayId, publish.At, CodePrefix + publish.Event, EventState.Occurred, EventSeverity.Info,
                $"{publish.Message} {source}".TrimStart()),
            _ => null,
        };
    }

    private static EventSeverity Severity(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Info => EventSeverity.Info,
        AlarmSeverity.Warning => EventSeverity.Warning,
        AlarmSeverity.Major => EventSeverity.Major,
        _ => EventSeverity.Critical,
    };
}
