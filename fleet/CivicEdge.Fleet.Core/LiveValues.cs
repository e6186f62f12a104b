using System.Buffers;
using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core;

/// <summary>
/// The newest values sources publish on their live topic while they are still delivering a backlog: kept in memory
/// only (never stored, never acknowledged), newest per point, for a bounded number of devices, and laid over the stored
/// latest values where they are newer, so that the fleet shows current values during a catch-up.
/// </summary>
public sealed partial class LiveValues
{
    /// <summary>The most devices whose live values are kept; beyond it the device updated longest ago is forgotten.</summary>
    public const int DefaultMaxDevices = 100_000;

    private const string BatchDescription = "live values (a telemetry batch)";

    private readonly TelemetryBatchValidator _validator;
    private readonly ILogger<LiveValues> _logger;
    private readonly int _maxDevices;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeviceValues> _devices = new(StringComparer.Ordinal);
    private long _updates;
    private long _accepted;
    private long _rejected;

    public LiveValues(TelemetryIngestOptions options, ILogger<LiveValues> logger, int maxDevices = DefaultMaxDevices)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDevices);
        _validator = new TelemetryBatchValidator(options);
        _logger = logger;
        _maxDevices = maxDevices;
    }

    /// <summary>Live batches taken since start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Live batches refused as malformed since start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Reads and keeps live values published on <c>civic/v1/{topicSourceId}/live</c>.</summary>
    /// <returns>Null when taken; the refusal otherwise (there is no acknowledgement for live values).</returns>
    public Rejection? Accept(string topicSourceId, ReadOnlySequence<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        return UplinkJson.TryRead(payload, ContractsJson.Default.TelemetryBatch, BatchDescription, out var batch, out var reason)
            ? Accept(topicSourceId, batch)
            : Refuse(topicSourceId, new Rejection(RejectionCause.MalformedPayload, reason));
    }

    /// <summary>Keeps the values of <paramref name="batch"/> where they are newer than the live values held.</summary>
    /// <returns>Null when taken; the refusal otherwise.</returns>
    public Rejection? Accept(string topicSourceId, TelemetryBatch batch)
    {
        ArgumentNullException.ThrowIfNull(topicSourceId);
        ArgumentNullException.ThrowIfNull(batch);
        if (_validator.Validate(topicSourceId, batch) is { } rejection)
            return Refuse(topicSourceId, rejection);

        lock (_gate)
        {
            foreach (var record in batch.Records)
            {
                if (!_devices.TryGetValue(record.DeviceId, out var device))
                {
                    ForgetOldestIfFull();
                    device = new DeviceValues();
                    _devices[record.DeviceId] = device;
                }

                device.Updated = ++_updates;
                foreach (var point in record.Points)
                {
                    if (device.Points.TryGetValue(point.Name, out var held) && held.Timestamp >= record.Timestamp)
                        continue;
                    device.Points[point.Name] = new LatestValue(point.Name, point.Value, point.Unit, point.Quantity, point.Quality, record.Timestamp, Live: true);
                }
            }
        }

        Interlocked.Increment(ref _accepted);
        return null;
    }

    /// <summary>
    /// The latest value of every point of <paramref name="deviceId"/>: the stored one, or the live one where it is
    /// newer (marked <see cref="LatestValue.Live"/>), ordered by point name.
    /// </summary>
    public IReadOnlyList<LatestValue> Overlay(string deviceId, IReadOnlyList<LatestValue> stored)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(stored);
        List<LatestValue> live;
        lock (_gate)
        {
            if (!_devices.TryGetValue(deviceId, out var device))
                return stored;
            live = [.. device.Points.Values];
        }

        var latest = stored.ToDictionary(value => value.Point, StringComparer.Ordinal);
        foreach (var value in live)
        {
            if (!latest.TryGetValue(value.Point, out var held) || value.Timestamp > held.Timestamp)
                latest[value.Point] = value;
        }

        return [.. latest.Values.OrderBy(value => value.Point, StringComparer.Ordinal)];
    }

    private void ForgetOldestIfFull()
    {
        if (_devices.Count < _maxDevices)
            return;
        var oldest = _devices.MinBy(entry => entry.Value.Updated).Key;
        _devices.Remove(oldest);
    }

    private Rejection Refuse(string sourceId, Rejection rejection)
    {
        Interlocked.Increment(ref _rejected);
        LogRejected(_logger, sourceId, rejection.Cause, rejection.Reason);
        return rejection;
    }

    private sealed class DeviceValues
    {
        public Dictionary<string, LatestValue> Points { get; } = new(StringComparer.Ordinal);

        public long Updated { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped live values from {SourceId} ({Cause}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string sourceId, RejectionCause cause, string reason);
}
