using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Reads one device every poll interval: the profile's points in as few register reads as
/// <see cref="ReadPlanner"/> allows, decoded by <see cref="PointDecoder"/>. A read that fails yields no values at all
/// (a reading never carries invented numbers): its points are left out, a poll where every read failed yields no
/// reading, and the failure is counted and logged once when the device stops answering and once when it answers again.
/// </summary>
/// <remarks>One poll at a time: <see cref="RunAsync"/> calls <see cref="PollAsync"/> sequentially.</remarks>
public sealed partial class DevicePoller
{
    private readonly IModbusMaster _master;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DevicePoller> _logger;
    private readonly Dictionary<PointDefinition, int> _profileIndex = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _undecodable = new(StringComparer.Ordinal);
    private readonly int _largestRead;
    private long _polls;
    private long _failedPolls;
    private long _consecutiveFailures;

    public DevicePoller(
        string deviceId,
        DeviceProfile profile,
        byte unitId,
        TimeSpan interval,
        IModbusMaster master,
        TimeProvider timeProvider,
        ILogger<DevicePoller> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        DeviceId = deviceId;
        Profile = profile;
        UnitId = unitId;
        Interval = interval;
        _master = master ?? throw new ArgumentNullException(nameof(master));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));

        Blocks = ReadPlanner.Plan(profile.Points);
        _largestRead = Blocks.Count == 0 ? 0 : Blocks.Max(b => b.Count);
        for (var i = 0; i < profile.Points.Count; i++)
            _profileIndex[profile.Points[i]] = i;
    }

    public string DeviceId { get; }

    public DeviceProfile Profile { get; }

    public byte UnitId { get; }

    public TimeSpan Interval { get; }

    /// <summary>The register reads one poll makes.</summary>
    public IReadOnlyList<RegisterBlock> Blocks { get; }

    /// <summary>How many polls have been made.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>How many polls had at least one read fail.</summary>
    public long FailedPolls => Interlocked.Read(ref _failedPolls);

    /// <summary>Reads the device once.</summary>
    /// <returns>The points read, in profile order; null when no read succeeded (or no point could be decoded).</returns>
    public async Task<DeviceReading?> PollAsync(CancellationToken cancellationToken)
    {
        var timestamp = _timeProvider.GetUtcNow();
        var decoded = new PointValue?[Profile.Points.Count];
        var registers = new ushort[_largestRead];
        (RegisterBlock Block, ModbusResult Result)? failure = null;

        foreach (var block in Blocks)
        {
            var result = await _master.ReadRegistersAsync(
                UnitId, block.Table, block.Address, registers.AsMemory(0, block.Count), cancellationToken).ConfigureAwait(false);
            if (!result.IsOk)
            {
                failure ??= (block, result);
                continue;
            }

            foreach (var point in block.Points)
            {
                var ok = PointDecoder.TryDecode(point, block.RegistersOf(point, registers.AsSpan(0, block.Count)), out var value);
                decoded[_profileIndex[point]] = value;
                NoteDecodable(point, ok);
            }
        }

        Interlocked.Increment(ref _polls);
        NoteOutcome(failure);
        var points = decoded.OfType<PointValue>().ToList();
        return points.Count == 0 ? null : new DeviceReading(DeviceId, Profile.Model, timestamp, points);
    }

    /// <summary>Polls at once and then every <see cref="Interval"/>, writing each reading, until cancelled.</summary>
    public async Task RunAsync(ChannelWriter<DeviceReading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        using var timer = new PeriodicTimer(Interval, _timeProvider);
        try
        {
            do
            {
                if (await PollAsync(cancellationToken).ConfigureAwait(false) is { } reading)
                    await readings.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; a poll cut short has produced nothing, so nothing half-read escapes.
        }
    }

    private void NoteOutcome((RegisterBlock Block, ModbusResult Result)? failure)
    {
        if (failure is { } failed)
        {
            Interlocked.Increment(ref _failedPolls);
            if (_consecutiveFailures++ == 0)
                LogNotAnswering(_logger, DeviceId, failed.Block.ToString(), failed.Result.ToString());
        }
        else if (_consecutiveFailures > 0)
        {
            LogAnsweringAgain(_logger, DeviceId, _consecutiveFailures);
            _consecutiveFailures = 0;
        }
    }

    private void NoteDecodable(PointDefinition point, bool decodable)
    {
        if (!decodable && _undecodable.Add(point.Name))
            LogUndecodable(_logger, DeviceId, point.Name);
        else if (decodable && _undecodable.Remove(point.Name))
            LogDecodableAgain(_logger, DeviceId, point.Name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} stopped answering (read of {Registers}: {Result}); its values are left out until it answers")]
    private static partial void LogNotAnswering(ILogger logger, string deviceId, string registers, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} answers again after {FailedPolls} failed polls")]
    private static partial void LogAnsweringAgain(ILogger logger, string deviceId, long failedPolls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} sent a value of point {Point} that is not a finite number; the point is left out until it is")]
    private static partial void LogUndecodable(ILogger logger, string deviceId, string point);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} sends finite values of point {Point} again")]
    private static partial void LogDecodableAgain(ILogger logger, string deviceId, string point);
}
