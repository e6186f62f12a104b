using System.Text.Json;
using CivicEdge.Fleet.Contracts.Alarms;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>
/// The rules of an alarm's life: raised → acknowledged → assigned → cleared → closed. Acknowledging may be skipped
/// (assign straight away), an assignment may be handed on, and any open alarm may be cleared, by the device or fleet
/// when the condition ends or by hand; only a cleared alarm is closed, and a closed one never changes again.
/// </summary>
public static class AlarmLifecycle
{
    /// <summary>The actions allowed on an alarm in <paramref name="state"/>, in lifecycle order.</summary>
    public static IReadOnlyList<AlarmAction> Allowed(AlarmState state) => state switch
    {
        AlarmState.Raised => [AlarmAction.Acknowledge, AlarmAction.Assign, AlarmAction.Clear],
        AlarmState.Acknowledged => [AlarmAction.Assign, AlarmAction.Clear],
        AlarmState.Assigned => [AlarmAction.Assign, AlarmAction.Clear],
        AlarmState.Cleared => [AlarmAction.Close],
        _ => [],
    };

    /// <summary>The state an action leads to.</summary>
    public static AlarmState Target(AlarmAction action) => action switch
    {
        AlarmAction.Acknowledge => AlarmState.Acknowledged,
        AlarmAction.Assign => AlarmState.Assigned,
        AlarmAction.Clear => AlarmState.Cleared,
        AlarmAction.Close => AlarmState.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not an alarm action."),
    };

    /// <summary>An action's name as the API writes it: <c>acknowledge</c>, <c>assign</c>, <c>clear</c>, <c>close</c>.</summary>
    public static string NameOf(AlarmAction action) => JsonNamingPolicy.CamelCase.ConvertName(action.ToString());

    /// <summary>A state's name as the API writes it.</summary>
    public static string NameOf(AlarmState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    /// <summary>
    /// <paramref name="alarm"/> after <paramref name="action"/> by <paramref name="by"/>, with its step in the history
    /// and its revision raised; null when the lifecycle does not allow the action in the alarm's state.
    /// </summary>
    public static Alarm? Apply(Alarm alarm, AlarmAction action, string by, DateTimeOffset at, string? note, string? assignee)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentException.ThrowIfNullOrEmpty(by);
        if (!Allowed(alarm.State).Contains(action))
            return null;
        if (action == AlarmAction.Assign)
            ArgumentException.ThrowIfNullOrWhiteSpace(assignee);

        var state = Target(action);
        var step = new AlarmStep(state, by, at.ToUniversalTime(), note, action == AlarmAction.Assign ? assignee : null);
        return alarm with
        {
            State = state,
            Assignee = action == AlarmAction.Assign ? assignee : alarm.Assignee,
            History = [.. alarm.History, step],
            Revision = alarm.Revision + 1,
        };
    }
}
