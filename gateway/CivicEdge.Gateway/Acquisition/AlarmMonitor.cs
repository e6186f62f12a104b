using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Watches one device's alarm limits and whether it answers, and turns what it sees into alarm events, each raised once
/// and cleared once. A limit is raised once a good value has been beyond it for the limit's on-delay (a value back
/// inside before then cancels the wait) and cleared once a good value is back inside by the hysteresis; values that are
/// out of range, stale or comm-error say nothing reliable about the process, so they neither raise nor clear, nor
/// cancel a wait. Each limit is an alarm of its own: a value past <c>highHigh</c> has raised <c>high</c> too.
/// A device that does not answer a poll raises <see cref="CommLostCode"/>, cleared by its next answer.
/// </summary>
public sealed class AlarmMonitor
{
    /// <summary>The code of the alarm raised while a device does not answer.</summary>
    public const string CommLostCode = "comm_lost";

    private readonly string _deviceId;
    private readonly IReadOnlyList<NormalizedPoint> _points;
    private readonly LimitState[][] _limits;
    private List<RaisedAlarm>? _orphans;
    private bool _commLost;

    /// <param name="deviceId">The device watched.</param>
    /// <param name="points">Its points, in profile order, with limits in the reported unit.</param>
    /// <param name="restored">
    /// The device's alarms that stood when the gateway last stopped: they count as raised, so they are not raised again,
    /// and are cleared as soon as a value shows the condition has gone. One whose limit is no longer in the profile is
    /// cleared at the first evaluation.
    /// </param>
    public AlarmMonitor(string deviceId, IReadOnlyList<NormalizedPoint> points, IReadOnlyList<RaisedAlarm> restored)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(restored);
        _deviceId = deviceId;
        _points = points;
        _limits = [.. points.Select(p => p.Alarms.Select(_ => new LimitState()).ToArray())];

        var byCode = new Dictionary<string, LimitState>(StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = 0; j < points[i].Alarms.Count; j++)
                byCode[Code(points[i], points[i].Alarms[j])] = _limits[i][j];
        }
        foreach (var alarm in restored)
        {
            if (alarm.Code == CommLostCode)
                _commLost = true;
            else if (byCode.TryGetValue(alarm.Code, out var state))
                state.Raised = true;
            else
                (_orphans ??= []).Add(alarm);
        }
    }

    /// <summary>The code of a limit's alarm: the point's name and the limit's, e.g. <c>voltage_l1.high</c>.</summary>
    public static string Code(NormalizedPoint point, AlarmLimit limit)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(limit);
        return $"{point.Name}.{limit.Name}";
    }

    /// <summary>Judges one poll.</summary>
    /// <param name="answered">Whether the device answered the poll.</param>
    /// <param name="values">Per point, in profile order: its value and quality this poll, or null.</param>
    /// <param name="now">When the poll was made; the time of any event.</param>
    /// <returns>The raises and clears, in profile order after any change of communication.</returns>
    public IReadOnlyList<DeviceEvent> Evaluate(bool answered, IReadOnlyList<PointValue?> values, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _points.Count)
            throw new ArgumentException($"Expected {_points.Count} values, one per point; found {values.Count}.", nameof(values));

        var events = new List<DeviceEvent>();
        if (_orphans is not null)
        {
            foreach (var orphan in _orphans)
            {
                events.Add(new DeviceEvent(_deviceId, now, orphan.Code, EventState.Cleared, orphan.Severity,
                    $"{orphan.Code} is no longer in the device's profile; cleared", orphan.Point));
            }
            _orphans = null;
        }

        if (!answered && !_commLost)
        {
            _commLost = true;
            events.Add(new DeviceEvent(_deviceId, now, CommLostCode, EventState.Raised, EventSeverity.Major,
                $"Device {_deviceId} does not answer; its points are reported as comm-error"));
        }
        else if (answered && _commLost)
        {
            _commLost = false;
            events.Add(new DeviceEvent(_deviceId, now, CommLostCode, EventState.Cleared, EventSeverity.Major,
                $"Device {_deviceId} answers again"));
        }

        for (var i = 0; i < _points.Count; i++)
        {
            if (values[i] is not { Quality: Quality.Good } value)
                continue;
            var point = _points[i];
            for (var j = 0; j < point.Alarms.Count; j++)
            {
                if (Judge(point, point.Alarms[j], _limits[i][j], value.Value, now) is { } change)
                    events.Add(change);
            }
        }
        return events;
    }

    private DeviceEvent? Judge(NormalizedPoint point, AlarmLimit limit, LimitState state, double value, DateTimeOffset now)
    {
        if (state.Raised)
        {
            if (!limit.IsBackInside(value))
                return null;
            state.Raised = false;
            state.BeyondSince = null;
            return Event(point, limit, EventState.Cleared, value, now, $"{Describe(point, limit)} - cleared, {point.Name} back to {Format(value, point.Unit)}");
        }

        if (!limit.IsBeyond(value))
        {
            state.BeyondSince = null;
            return null;
        }
        state.BeyondSince ??= now;
        if (now - state.BeyondSince.Value < limit.Delay)
            return null;
        state.Raised = true;
        return Event(point, limit, EventState.Raised, value, now, Describe(point, limit));
    }

    private DeviceEvent Event(NormalizedPoint point, AlarmLimit limit, EventState state, double value, DateTimeOffset now, string message) =>
        new(_deviceId, now, Code(point, limit), state, Severity(limit.Severity), message, point.Name, value);

    private static string Describe(NormalizedPoint point, AlarmLimit limit) => limit.Message ?? limit.Kind switch
    {
        AlarmKind.Set => $"{point.Name} is set",
        _ => $"{point.Name} {(limit.IsHighSide ? "above" : "below")} {limit.Name} limit {Format(limit.Value, point.Unit)}",
    };

    /// <summary>A value for people: three decimals at most, and no unit for a dimensionless one (unit <c>1</c>).</summary>
    private static string Format(double value, string unit)
    {
        var number = value.ToString("0.###", CultureInfo.InvariantCulture);
        return unit == "1" ? number : $"{number} {unit}";
    }

    private static EventSeverity Severity(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Info => EventSeverity.Info,
        AlarmSeverity.Warning => EventSeverity.Warning,
        AlarmSeverity.Major => EventSeverity.Major,
        AlarmSeverity.Critical => EventSeverity.Critical,
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Not an alarm severity."),
    };

    private sealed class LimitState
    {
        public bool Raised { get; set; }

        /// <summary>When the value went beyond the limit, while the raise waits out the on-delay.</summary>
        public DateTimeOffset? BeyondSince { get; set; }
    }
}
