using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>
/// Which alarms to list: every filter given must hold (null means any). Every store answers exactly what
/// <see cref="Matches"/> says, newest first.
/// </summary>
public sealed record AlarmQuery
{
    public static IReadOnlySet<AlarmState> OpenStates { get; } = new HashSet<AlarmState> { AlarmState.Raised, AlarmState.Acknowledged, AlarmState.Assigned };

    /// <summary>Alarms in one of these states.</summary>
    public IReadOnlySet<AlarmState>? States { get; init; }

    /// <summary>Alarms at least this severe.</summary>
    public EventSeverity? MinSeverity { get; init; }

    public string? Device { get; init; }

    public string? Type { get; init; }

    /// <summary>The device's owner when the alarm was raised.</summary>
    public string? Tenant { get; init; }

    /// <summary>The device's district when the alarm was raised; compared without regard to case.</summary>
    public string? District { get; init; }

    /// <summary>The most alarms returned.</summary>
    public int Limit { get; init; } = 1_000;

    public bool Matches(Alarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return (States is null || States.Contains(alarm.State))
            && (MinSeverity is null || alarm.Severity >= MinSeverity)
            && (Device is null || string.Equals(alarm.Device, Device, StringComparison.Ordinal))
            && (Type is null || string.Equals(alarm.Type, Type, StringComparison.Ordinal))
            && (Tenant is null || string.Equals(alarm.Tenant, Tenant, StringComparison.Ordinal))
            && (District is null || string.Equals(alarm.District, District, StringComparison.OrdinalIgnoreCase));
    }
}
