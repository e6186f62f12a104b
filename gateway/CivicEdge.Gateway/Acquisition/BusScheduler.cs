using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Polls the devices of one bus. A half-duplex bus (RTU, or RTU behind a serial-to-Ethernet converter) carries one
/// transaction at a time (Modbus over Serial Line V1.02 §2.1), so its devices take turns in one lane; on a Modbus TCP
/// bus every device has a lane of its own and they poll in parallel.
/// </summary>
/// <remarks>
/// In a lane, of the devices that are due, a device that has waited a whole interval past its due time goes first
/// (so a busy high-priority device cannot starve a low one), then the higher priority, then the one due longest.
/// A device that does not answer is polled again after an exponential back-off (<see cref="Backoff"/>): while it is
/// silent it costs the bus one timeout per back-off period rather than one per interval, and the master is never
/// reopened on its account, so the devices that answer keep their link and their rate.
/// Each poll goes through the device's <see cref="DevicePipeline"/>; what it reports is written to the readings and
/// events channels, and the alarms it raises or clears are then recorded in the <see cref="IAlarmStateStore"/>.
/// </remarks>
public sealed partial class BusScheduler
{
    /// <summary>The longest a silent device waits between attempts, unless its own interval is longer.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BusScheduler> _logger;
    private readonly IAlarmStateStore _alarmStates;
    private readonly Dictionary<DevicePoller, Channel<Func<CancellationToken, Task>>> _inboxes = new(ReferenceEqualityComparer.Instance);

    /// <param name="link">The bus.</param>
    /// <param name="devices">Its devices, in configuration order.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where scheduling and alarms are logged.</param>
    /// <param name="alarmStates">Where standing alarms are kept across restarts; in memory when null.</param>
    public BusScheduler(ModbusLink link, IReadOnlyList<DevicePoller> devices, TimeProvider timeProvider, ILogger<BusScheduler> logger, IAlarmStateStore? alarmStates = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0)
            throw new ArgumentException($"Bus '{link.Id}' has no devices to poll.", nameof(devices));
        Link = link;
        Devices = devices;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _alarmStates = alarmStates ?? new InMemoryAlarmStateStore();

        // One inbox per lane: a half-duplex bus shares one among its devices, so work for any of them waits its turn.
        var shared = link.IsHalfDuplex ? Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true }) : null;
        foreach (var device in devices)
            _inboxes[device] = shared ?? Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    }

    public ModbusLink Link { get; }

    /// <summary>The devices on the bus, in configuration order.</summary>
    public IReadOnlyList<DevicePoller> Devices { get; }

    /// <summary>
    /// How long to wait before polling again a device whose last <paramref name="unansweredPolls"/> polls got no answer:
    /// its interval after the first, doubling with each further one, capped at <see cref="MaxBackoff"/> (or the interval,
    /// if longer).
    /// </summary>
    public static TimeSpan Backoff(TimeSpan interval, long unansweredPolls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(unansweredPolls, 1);
        var cap = interval > MaxBackoff ? interval : MaxBackoff;
        var doublings = Math.Min(unansweredPolls - 1, 30);
        var ticks = interval.Ticks * (double)(1L << (int)doublings);
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Polls at once and then as scheduled, writing what each poll reports, until cancelled.</summary>
    /// <param name="readings">Where readings go (to the outbox).</param>
    /// <param name="events">Where alarm events go (to the outbox).</param>
    /// <param name="cancellationToken">Stops polling.</param>
    public Task RunAsync(ChannelWriter<DeviceReading> readings, ChannelWriter<DeviceEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(events);
        var devices = Devices
            .Select((d, i) => new ScheduledDevice(d, i, new DevicePipeline(d.DeviceId, d.Profile, StandingAlarms(d.DeviceId))))
            .ToList();
        LogScheduling(_logger, Link.ToString(), Devices.Count, Link.IsHalfDuplex ? "in turn" : "in parallel");
        var output = new Output(readings, events);

        return Link.IsHalfDuplex
            ? RunLaneAsync(devices, _inboxes[Devices[0]].Reader, output, cancellationToken)
            : Task.WhenAll(devices.Select(d => RunLaneAsync([d], _inboxes[d.Poller].Reader, output, cancellationToken)));
    }

    /// <summary>
    /// Runs <paramref name="work"/> (a write or an immediate read of <paramref name="device"/>) in the device's lane,
    /// between two polls, so that a half-duplex bus still carries one transaction at a time (Modbus over Serial Line
    /// V1.02 §2.1). It goes before the next poll, not after every due one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The bus is not running (not started, or stopped meanwhile).</exception>
    public async Task<T> RunExclusiveAsync<T>(DevicePoller device, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(work);
        if (!_inboxes.TryGetValue(device, out var inbox))
            throw new InvalidOperationException($"Bus '{Link.Id}' does not poll device '{device.DeviceId}'.");

        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        var queued = inbox.Writer.TryWrite(async laneToken =>
        {
            if (done.Task.IsCompleted)
                return;
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(laneToken, cancellationToken);
                done.TrySetResult(await work(linked.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || laneToken.IsCancellationRequested)
            {
                done.TrySetException(new InvalidOperationException($"Bus '{Link.Id}' stopped or the caller gave up before the work for '{device.DeviceId}' ran."));
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        if (!queued)
            throw new InvalidOperationException($"Bus '{Link.Id}' has stopped.");
        return await done.Task.ConfigureAwait(false);
    }

    /// <summary>The device to poll now, or null when none is due.</summary>
    /// <remarks>Loops over the list itself: an enumerator through the interface or LINQ would allocate at every poll.</remarks>
    internal static ScheduledDevice? Next(List<ScheduledDevice> lane, DateTimeOffset now)
    {
        ScheduledDevice? best = null;
        foreach (var device in lane)
        {
            if (device.Due <= now && (best is null || GoesBefore(device, best, now)))
                best = device;
        }

        return best;
    }

    private static DateTimeOffset EarliestDue(List<ScheduledDevice> lane)
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var device in lane)
        {
            if (device.Due < earliest)
                earliest = device.Due;
        }

        return earliest;
    }

    private static bool GoesBefore(ScheduledDevice a, ScheduledDevice b, DateTimeOffset now)
    {
        var (aStarving, bStarving) = (a.IsStarving(now), b.IsStarving(now));
        if (aStarving != bStarving)
            return aStarving;
        if (a.Poller.Priority != b.Poller.Priority)
            return a.Poller.Priority < b.Poller.Priority;
        return a.Due != b.Due ? a.Due < b.Due : a.Order < b.Order;
    }

    private async Task RunLaneAsync(List<ScheduledDevice> lane, ChannelReader<Func<CancellationToken, Task>> inbox, Output output, CancellationToken cancellationToken)
    {
        // Off the caller's thread: the start-up path must not run a first poll inline.
        await Task.Yield();
        var start = _timeProvider.GetUtcNow();
        foreach (var device in lane)
            device.Start(start);

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (inbox.TryRead(out var work))
                    await work(cancellationToken).ConfigureAwait(false);

                var now = _timeProvider.GetUtcNow();
                if (Next(lane, now) is not { } next)
                {
                    var wait = EarliestDue(lane) - now;
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var delay = Task.Delay(wait, _timeProvider, idle.Token);
                    var arrived = inbox.WaitToReadAsync(idle.Token).AsTask();
                    await Task.WhenAny(delay, arrived).ConfigureAwait(false);
                    await idle.CancelAsync().ConfigureAwait(false);
                    await Task.WhenAll(delay, arrived).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    continue;
                }

                var wasHealthy = next.Poller.Healthy;
                var poll = await next.Poller.PollAsync(cancellationToken).ConfigureAwait(false);
                next.Reschedule(_timeProvider.GetUtcNow());
                if (wasHealthy && !next.Poller.Healthy)
                    LogBackingOff(_logger, next.Poller.DeviceId, Link.Id);
                await ReportAsync(next.Pipeline.Process(poll), output, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; a poll cut short has produced nothing, so nothing half-read escapes. Work still waiting is
            // handed the cancelled token, so that its callers hear the bus stopped rather than wait for ever.
            while (inbox.TryRead(out var work))
                await work(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(DeviceReport report, Output output, CancellationToken cancellationToken)
    {
        foreach (var reading in report.Readings)
            await output.Readings.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
        if (report.Events.Count == 0)
            return;

        foreach (var e in report.Events)
        {
            LogAlarm(_logger, e.DeviceId, e.Code, e.State, e.Severity, e.Message);
            await output.Events.WriteAsync(e, cancellationToken).ConfigureAwait(false);
        }
        // Recorded only once handed on: a crash in between raises the alarm again after the restart rather than never.
        try
        {
            _alarmStates.Record(report.Events);
        }
        catch (IOException ex)
        {
            LogAlarmStateNotSaved(_logger, ex, report.Events[0].DeviceId);
        }
    }

    private IReadOnlyList<RaisedAlarm> StandingAlarms(string deviceId)
    {
        try
        {
            return _alarmStates.Raised(deviceId);
        }
        catch (IOException ex)
        {
            LogAlarmStateNotRead(_logger, ex, deviceId);
            return [];
        }
    }

    private sealed record Output(ChannelWriter<DeviceReading> Readings, ChannelWriter<DeviceEvent> Events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bus {Bus}: polling {Devices} devices {Mode}")]
    private static partial void LogScheduling(ILogger logger, string bus, int devices, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} on bus {Bus} is unhealthy; it is polled with growing back-off until it answers, and the rest of the bus goes on")]
    private static partial void LogBackingOff(ILogger logger, string deviceId, string bus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId}: alarm {Code} {State} ({Severity}): {Text}")]
    private static partial void LogAlarm(ILogger logger, string deviceId, string code, EventState state, EventSeverity severity, string text);

    [LoggerMessage(Level = LogLevel.Error, Message = "Device {DeviceId}: the state of its alarms could not be saved; after a restart they may be raised or cleared again")]
    private static partial void LogAlarmStateNotSaved(ILogger logger, Exception exception, string deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Device {DeviceId}: the state of its alarms could not be read; alarms that stood before the restart are raised again if their condition still holds")]
    private static partial void LogAlarmStateNotRead(ILogger logger, Exception exception, string deviceId);
}
