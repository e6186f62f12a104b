using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Everything between a device's decoded poll and the outbox, as separate stages: normalize each value to its
/// quantity's canonical unit (<see cref="NormalizedPoint"/>), give the points not read a quality of stale or
/// comm-error (<see cref="PointQualifier"/>), judge alarm limits and communication (<see cref="AlarmMonitor"/>), and
/// keep only what is worth reporting (<see cref="ExceptionReporter"/>), billing registers in a reading of the billing
/// stream and the rest in one of the telemetry stream.
/// </summary>
/// <remarks>One poll at a time, as the device's scheduler lane makes them.</remarks>
public sealed class DevicePipeline
{
    private readonly string _deviceId;
    private readonly string _model;
    private readonly IReadOnlyList<NormalizedPoint> _points;
    private readonly PointQualifier _qualifier;
    private readonly ExceptionReporter _reporter;
    private readonly AlarmMonitor _alarms;

    /// <param name="deviceId">The device's unified device code.</param>
    /// <param name="profile">Its hardware profile.</param>
    /// <param name="restoredAlarms">Its alarms that stood when the gateway last stopped.</param>
    public DevicePipeline(string deviceId, DeviceProfile profile, IReadOnlyList<RaisedAlarm> restoredAlarms)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(profile);
        _deviceId = deviceId;
        _model = profile.Model;
        _points = [.. profile.Points.Select(p => new NormalizedPoint(p))];
        _qualifier = new PointQualifier(_points.Count);
        _reporter = new ExceptionReporter([.. _points.Select(p => p.Deadband)], [.. profile.Points.Select(p => p.MaxSilence)]);
        _alarms = new AlarmMonitor(deviceId, _points, restoredAlarms);
    }

    /// <summary>Runs one poll through the stages.</summary>
    public DeviceReport Process(PollResult poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        if (poll.Values.Count != _points.Count)
            throw new ArgumentException($"Expected {_points.Count} values, one per point of {_model}; found {poll.Values.Count}.", nameof(poll));

        var normalized = new PointValue?[_points.Count];
        for (var i = 0; i < normalized.Length; i++)
            normalized[i] = poll.Values[i] is { } value ? _points[i].Normalize(value) : null;

        var qualified = _qualifier.Qualify(poll.Answered, normalized);
        var events = _alarms.Evaluate(poll.Answered, qualified, poll.Timestamp);
        var chosen = _reporter.Select(qualified, poll.Timestamp);
        if (chosen.Count == 0 && events.Count == 0)
            return DeviceReport.Empty;

        List<PointValue>? telemetry = null;
        List<PointValue>? billing = null;
        foreach (var i in chosen)
        {
            if (_points[i].Definition.Billing)
                (billing ??= []).Add(qualified[i]!);
            else
                (telemetry ??= []).Add(qualified[i]!);
        }

        var readings = new List<DeviceReading>(2);
        if (telemetry is not null)
            readings.Add(new DeviceReading(_deviceId, _model, poll.Timestamp, telemetry));
        if (billing is not null)
            readings.Add(new DeviceReading(_deviceId, _model, poll.Timestamp, billing) { Stream = Streams.Billing });
        return new DeviceReport(readings, events);
    }
}
