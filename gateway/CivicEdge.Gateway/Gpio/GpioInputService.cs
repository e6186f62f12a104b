using System.Device.Gpio;
using System.Threading.Channels;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using LiteDB;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// Runs the <c>Gpio</c> section's inputs: door contacts become <c>door_open</c> readings and alarms, meter pulses
/// become totals committed to the gateway database and reported (total and flow rate) every report interval.
/// </summary>
/// <remarks>
/// Pulses are committed at most <see cref="GpioOptions.CommitInterval"/> after they are counted, every counter with
/// news in one transaction (a few milliseconds; see PulseTotalCommitBenchmarks). A power cut therefore loses at most
/// the pulses counted in the last interval, plus a commit LiteDB's writer thread has not yet put on disk; a total is
/// reported only once committed, so no reading ever shows more than the database holds (the outbox's commits go
/// through the same writer, after it), and a restart counts on from the committed total: never a pulse twice.
/// </remarks>
public sealed partial class GpioInputService(
    IOptions<GpioOptions> options,
    GpioController controller,
    PulseTotalStore totals,
    ChannelWriter<DeviceReading> readings,
    ChannelWriter<DeviceEvent> events,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    /// <summary>How long shutdown waits for the outbox to take the last door changes before counting them as lost.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggerFactory.CreateLogger<GpioInputService>();
    private readonly Channel<DoorChange> _doorChanges = Channel.CreateUnbounded<DoorChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _commitGate = new();
    private ITimer? _commitTimer;
    private List<PeriodicTimer> _reportTimers = [];
    private int _commitArmed;
    private long _commitFailures;

    /// <summary>The door contacts, in configuration order.</summary>
    public IReadOnlyList<DoorContact> Doors { get; private set; } = [];

    /// <summary>The pulse counters, in configuration order.</summary>
    public IReadOnlyList<PulseCounter> Counters { get; private set; } = [];

    /// <summary>Commits that failed (disk full, damaged file) and were retried at the next interval.</summary>
    public long CommitFailures => Interlocked.Read(ref _commitFailures);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var gpio = options.Value;
        _commitTimer = timeProvider.CreateTimer(_ => Commit(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Doors = [.. gpio.Doors.Select(door => new DoorContact(door, controller, Pull(door), timeProvider, _logger, OnDoorChange))];
        Counters = [.. gpio.PulseCounters.Select(counter => Counter(counter))];

        // The report clocks start now rather than when the background loop gets going, so that reports keep to the
        // interval from start-up whatever the thread pool is doing.
        _reportTimers = [.. Counters.Select(counter => new PeriodicTimer(counter.Options.ReportInterval, timeProvider))];

        // Counters first: a door's state is reported as it is opened, and its first reading should not wait behind them.
        foreach (var counter in Counters)
        {
            counter.Start();
            LogCounterResumed(_logger, counter.Options.Name, counter.Options.Pin!.Value, counter.Committed.Pulses, counter.TotalReading(timeProvider.GetUtcNow()).Points[0].Value);
        }

        foreach (var door in Doors)
            door.Start();

        var now = timeProvider.GetUtcNow();
        foreach (var counter in Counters)
            await readings.WriteAsync(counter.TotalReading(now), cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loops, then closes the inputs, commits what they counted and hands the last door changes on.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await ShutDownAsync().ConfigureAwait(false);
    }

    /// <summary>Commits every counter's uncommitted pulses now, in one transaction.</summary>
    /// <returns>False if the commit failed; it is retried at the next interval.</returns>
    public bool Commit()
    {
        lock (_commitGate)
        {
            Volatile.Write(ref _commitArmed, 0);
            var now = timeProvider.GetUtcNow();
            var pending = Counters.Select(counter => (Counter: counter, Total: counter.Uncommitted(now)))
                .Where(entry => entry.Total is not null)
                .ToList();
            if (pending.Count == 0)
                return true;

            try
            {
                totals.Save([.. pending.Select(entry => entry.Total!)]);
            }
            catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _commitFailures);
                LogCommitFailed(_logger, pending.Count, options.Value.CommitInterval, ex);
                ArmCommit();
                return false;
            }

            foreach (var (counter, total) in pending)
                counter.MarkCommitted(total!);
            return true;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll([ForwardDoorChangesAsync(stoppingToken), .. Counters.Select((counter, i) => ReportAsync(counter, _reportTimers[i], stoppingToken))])
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync closes the inputs once this has returned.
        }
    }

    private PulseCounter Counter(PulseCounterOptions counter)
    {
        var key = PulseCounter.KeyOf(counter);
        return new PulseCounter(counter, totals.Load(key), controller, Pull(counter), timeProvider, _logger, _ => ArmCommit());
    }

    private PinMode Pull(GpioInputOptions input)
    {
        GpioVocabulary.TryParsePull(input.Pull, out var mode);
        if (mode == PinMode.Input || controller.IsPinModeSupported(input.Pin!.Value, mode))
            return mode;
        LogNoPullResistor(_logger, input.Name, input.Pin!.Value, input.Pull);
        return PinMode.Input;
    }

    private void OnDoorChange(DoorChange change) => _doorChanges.Writer.TryWrite(change);

    private void ArmCommit()
    {
        if (Interlocked.Exchange(ref _commitArmed, 1) == 0)
            _commitTimer?.Change(options.Value.CommitInterval, Timeout.InfiniteTimeSpan);
    }

    private async Task ForwardDoorChangesAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in _doorChanges.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            await ForwardAsync(change, stoppingToken).ConfigureAwait(false);
    }

    private async Task ForwardAsync(DoorChange change, CancellationToken cancellationToken)
    {
        if (!change.AtStartUp)
            LogDoor(_logger, change.Door.Options.Name, change.Door.Options.DeviceId, change.Open ? "opened" : "closed");
        await events.WriteAsync(change.Door.Event(change), cancellationToken).ConfigureAwait(false);
        await readings.WriteAsync(change.Door.Reading(change), cancellationToken).ConfigureAwait(false);
    }

    private async Task ReportAsync(PulseCounter counter, PeriodicTimer timer, CancellationToken stoppingToken)
    {
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = timeProvider.GetUtcNow();
            Commit();
            await readings.WriteAsync(counter.TotalReading(now), stoppingToken).ConfigureAwait(false);
            await readings.WriteAsync(counter.FlowReading(now), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ShutDownAsync()
    {
        foreach (var door in Doors)
            door.Dispose();
        foreach (var counter in Counters)
            counter.Dispose();
        foreach (var timer in _reportTimers)
            timer.Dispose();
        if (_commitTimer is not null)
            await _commitTimer.DisposeAsync().ConfigureAwait(false);
        Commit();
        foreach (var counter in Counters)
            LogCounterStopped(_logger, counter.Options.Name, counter.Committed.Pulses, counter.Input.Edges, counter.Input.Rejected);

        // The outbox writer stops after this service, so it still takes what is queued; a bounded wait keeps a stuck
        // writer from holding up shutdown, and what it did not take is counted.
        _doorChanges.Writer.TryComplete();
        using var drain = new CancellationTokenSource(DrainTimeout);
        var left = 0;
        while (_doorChanges.Reader.TryRead(out var change))
        {
            try
            {
                await ForwardAsync(change, drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                left++;
            }
        }

        if (left > 0)
            LogDoorChangesLost(_logger, left, DrainTimeout);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulse counter {Name} on GPIO {Pin}: resuming from {Pulses} pulses, total {Total} m3")]
    private static partial void LogCounterResumed(ILogger logger, string name, int pin, long pulses, double total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulse counter {Name} stopped at {Pulses} pulses committed; {Edges} edges seen, {Rejected} bursts rejected as bounce")]
    private static partial void LogCounterStopped(ILogger logger, string name, long pulses, long edges, long rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Door {Name} of {DeviceId} {State}")]
    private static partial void LogDoor(ILogger logger, string name, string deviceId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GPIO input {Name} (pin {Pin}): the driver cannot set the '{Pull}' pull resistor; fit an external one")]
    private static partial void LogNoPullResistor(ILogger logger, string name, int pin, string pull);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} pulse totals failed; counting goes on in memory and the commit is retried in {Interval}")]
    private static partial void LogCommitFailed(ILogger logger, int count, TimeSpan interval, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} door changes did not reach the outbox within {Timeout} of shutdown and are lost")]
    private static partial void LogDoorChangesLost(ILogger logger, int count, TimeSpan timeout);
}
