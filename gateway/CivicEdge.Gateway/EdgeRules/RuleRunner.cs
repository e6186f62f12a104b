using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Commands;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.EdgeRules;

/// <summary>
/// Runs the gateway's edge rules between acquisition and the outbox: every reading (scaled, with its quality) and every
/// event passes through on its way to the outbox, readings are fed to the engines, <c>comm_lost</c> raised and cleared
/// become <see cref="RuleEngine.ReportCommunication"/>, and a timer on the injected clock ticks the engines. What the
/// rules decide is carried out: alarms and published events go into the event stream (<see cref="RuleEvents"/>),
/// writes go through the commands' write path, virtual points stay inside the engine (they are the rule set's own
/// state, not measurements, so they are not sent as telemetry).
/// </summary>
/// <remarks>
/// Template devices are bound to the devices running at the moment (<see cref="RuleSetBinder"/>), and bound again
/// when the running devices change (a new configuration from the file or the twin). The engines are not thread-safe:
/// every call into them is made under one lock; carrying out their intents happens outside it.
/// </remarks>
public sealed partial class RuleRunner : IHostedService, IAlarmAcknowledger, IRuleIntentSink, IDisposable
{
    private readonly RulesOptions _options;
    private readonly RuleEngineOptions _engineOptions;
    private readonly Func<IReadOnlyList<RunningDevice>> _devices;
    private readonly Func<IReadOnlyList<string>> _healthyDevices;
    private readonly Func<string, string, double, CancellationToken, Task<CommandOutcome>> _write;
    private readonly ChannelReader<DeviceReading> _acquiredReadings;
    private readonly ChannelWriter<DeviceReading> _outboxReadings;
    private readonly ChannelReader<DeviceEvent> _acquiredEvents;
    private readonly ChannelWriter<DeviceEvent> _outboxEvents;
    private readonly string _gatewayId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Channel<DeviceEvent> _decidedEvents = Channel.CreateUnbounded<DeviceEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<WritePoint> _writes = Channel.CreateUnbounded<WritePoint>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal);
    private readonly Dictionary<(string DeviceId, string Point), (double Value, ReadingQuality Quality, DateTimeOffset At)> _latest = [];
    private readonly IReadOnlyList<RuleSet> _fileRuleSets;
    private IReadOnlyList<RuleSet> _ruleSets;
    private List<RuleEngine> _engines = [];
    private string? _boundTo;
    private RuleEngine? _emitting;
    private ITimer? _timer;
    private Task[] _loops = [];
    private long _readingsFed;
    private long _writesRefused;

    public RuleRunner(
        RulesOptions options,
        IReadOnlyList<RuleSet> ruleSets,
        Func<IReadOnlyList<RunningDevice>> devices,
        Func<IReadOnlyList<string>> healthyDevices,
        Func<string, string, double, CancellationToken, Task<CommandOutcome>> write,
        ChannelReader<DeviceReading> acquiredReadings,
        ChannelWriter<DeviceReading> outboxReadings,
        ChannelReader<DeviceEvent> acquiredEvents,
        ChannelWriter<DeviceEvent> outboxEvents,
        string gatewayId,
        TimeProvider time,
        ILogger<RuleRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ruleSets);
        _options = options;
        RulesOptionsValidator.TryFindTimeZone(options.TimeZone, out var zone);
        _engineOptions = new RuleEngineOptions
        {
            Latitude = options.Latitude,
            Longitude = options.Longitude,
            TimeZone = zone,
            StaleAfter = options.StaleAfter,
        };
        _ruleSets = _fileRuleSets = ruleSets;
        _devices = devices;
        _healthyDevices = healthyDevices;
        _write = write;
        _acquiredReadings = acquiredReadings;
        _outboxReadings = outboxReadings;
        _acquiredEvents = acquiredEvents;
        _outboxEvents = outboxEvents;
        _gatewayId = gatewayId;
        _time = time;
        _logger = logger;
    }

    /// <summary>The rule sets loaded (not necessarily running: a template needs devices of its models).</summary>
    public IReadOnlyList<RuleSet> RuleSets
    {
        get
        {
            lock (_gate)
                return _ruleSets;
        }
    }

    /// <summary>The engines running: one per rule set and binding.</summary>
    public int EngineCount
    {
        get
        {
            lock (_gate)
                return _engines.Count;
        }
    }

    /// <summary>Readings fed to the engines since start.</summary>
    public long ReadingsFed => Interlocked.Read(ref _readingsFed);

    /// <summary>Writes the rules decided that the write path refused or that failed on the bus (each logged and reported as an event).</summary>
    public long WritesRefused => Interlocked.Read(ref _writesRefused);

    /// <summary>
    /// Runs <paramref name="fromFleet"/> (already validated against the profiles) instead of the running rule sets, or
    /// the rule sets of <c>Rules:Files</c> again when null. The engines start afresh; the alarms the old ones held are
    /// cleared first, so the fleet is not left with alarms that nothing will ever clear; a rule whose condition still
    /// holds raises its alarm again.
    /// </summary>
    public void Replace(IReadOnlyList<RuleSet>? fromFleet)
    {
        lock (_gate)
        {
            _ruleSets = fromFleet ?? _fileRuleSets;
            Rebind(force: true);
        }
    }

    public bool Acknowledge(string deviceId, string alarm, string? by)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(alarm);
        lock (_gate)
        {
            var acknowledged = false;
            foreach (var engine in _engines)
            {
                _emitting = engine;
                acknowledged |= engine.Acknowledge(deviceId, alarm, by);
            }

            return acknowledged;
        }
    }

    void IRuleIntentSink.Emit(RuleIntent intent)
    {
        switch (intent)
        {
            case WritePoint write:
                _writes.Writer.TryWrite(write);
                break;
            case SetVirtualPoint set:
                LogVirtualPoint(_logger, _emitting?.RuleSet.Id ?? "?", set.RuleId, set.Point, set.Value);
                break;
            default:
                if (RuleEvents.From(intent, _emitting?.RuleSet.Id ?? "?", _gatewayId) is { } decided)
                {
                    LogDecided(_logger, decided.DeviceId, decided.Code, decided.State, decided.Message);
                    _decidedEvents.Writer.TryWrite(decided);
                }

                break;
        }
    }

    /// <summary>
    /// Starts passing readings and events on. The engines are bound at the first tick, once acquisition (started after
    /// this) runs its devices; readings before then are kept as the latest values the engines start from.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var stopping = _stopping.Token;
        _loops =
        [
            Task.Run(() => ForwardReadingsAsync(stopping), CancellationToken.None),
            Task.Run(() => ForwardEventsAsync(stopping), CancellationToken.None),
            Task.Run(() => DeliverDecidedEventsAsync(stopping), CancellationToken.None),
            Task.Run(() => WriteAsync(stopping), CancellationToken.None),
        ];
        _timer = _time.CreateTimer(_ => Tick(), null, _options.TickInterval, _options.TickInterval);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops after acquisition and GPIO have stopped (it is started before them): whatever they handed over is fed and
    /// passed on to the outbox, which stops after this.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
            await _timer.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        while (_acquiredReadings.TryRead(out var reading))
        {
            Feed(reading);
            await _outboxReadings.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
        }

        while (_acquiredEvents.TryRead(out var acquired))
        {
            Observe(acquired);
            await _outboxEvents.WriteAsync(acquired, cancellationToken).ConfigureAwait(false);
        }

        while (_decidedEvents.Reader.TryRead(out var decided))
            await _outboxEvents.WriteAsync(decided, cancellationToken).ConfigureAwait(false);
        var dropped = 0;
        while (_writes.Reader.TryRead(out _))
            dropped++;
        if (dropped > 0)
            LogWritesDroppedAtShutdown(_logger, dropped);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Advances every engine to now; also notices devices that started or stopped running.</summary>
    public void Tick()
    {
        var healthy = _healthyDevices();
        lock (_gate)
        {
            Rebind(force: false);
            foreach (var engine in _engines)
            {
                _emitting = engine;
                // A polled device that answers keeps talking even when its values do not move (readings are
                // reported by exception, so a steady value sends no reading).
                foreach (var device in healthy)
                {
                    if (!_lost.Contains(device))
                        engine.ReportCommunication(device, lost: false);
                }

                engine.Tick();
            }
        }
    }

    private void Feed(DeviceReading reading)
    {
        lock (_gate)
        {
            foreach (var point in reading.Points)
                _latest[(reading.DeviceId, point.Name)] = (point.Value, point.Quality == Quality.Good ? ReadingQuality.Good : ReadingQuality.Bad, reading.Timestamp);
            foreach (var engine in _engines)
            {
                _emitting = engine;
                foreach (var point in reading.Points)
                {
                    var quality = point.Quality == Quality.Good ? ReadingQuality.Good : ReadingQuality.Bad;
                    engine.Update(reading.DeviceId, point.Name, point.Value, quality, reading.Timestamp);
                }
            }
        }

        Interlocked.Increment(ref _readingsFed);
    }

    private void Observe(DeviceEvent acquired)
    {
        if (acquired.Code != AlarmMonitor.CommLostCode || acquired.State == EventState.Occurred)
            return;
        var lost = acquired.State == EventState.Raised;
        lock (_gate)
        {
            if (lost)
                _lost.Add(acquired.DeviceId);
            else
                _lost.Remove(acquired.DeviceId);
            foreach (var engine in _engines)
            {
                _emitting = engine;
                engine.ReportCommunication(acquired.DeviceId, lost);
            }
        }
    }

    private async Task ForwardReadingsAsync(CancellationToken stopping)
    {
        try
        {
            while (await _acquiredReadings.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (_acquiredReadings.TryRead(out var reading))
                {
                    Feed(reading);
                    // Not cancelled by stopping: a reading taken from acquisition is always handed to the outbox.
                    await _outboxReadings.WriteAsync(reading, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync passes on what is left.
        }
    }

    private async Task ForwardEventsAsync(CancellationToken stopping)
    {
        try
        {
            while (await _acquiredEvents.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (_acquiredEvents.TryRead(out var acquired))
                {
                    Observe(acquired);
                    await _outboxEvents.WriteAsync(acquired, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync passes on what is left.
        }
    }

    private async Task DeliverDecidedEventsAsync(CancellationToken stopping)
    {
        try
        {
            while (await _decidedEvents.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (_decidedEvents.Reader.TryRead(out var decided))
                    await _outboxEvents.WriteAsync(decided, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync passes on what is left.
        }
    }

    private async Task WriteAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var write in _writes.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                var outcome = await _write(write.DeviceId, write.Point, write.Value, stopping).ConfigureAwait(false);
                if (outcome.Status == Fleet.Contracts.Commands.CommandStatus.Succeeded)
                {
                    LogWritten(_logger, write.RuleId, write.DeviceId, write.Point, write.Value);
                    continue;
                }

                Interlocked.Increment(ref _writesRefused);
                LogWriteRefused(_logger, write.RuleId, write.DeviceId, write.Point, write.Value, outcome.Status, outcome.Reason ?? "");
                await _outboxEvents.WriteAsync(
                    new DeviceEvent(write.DeviceId, _time.GetUtcNow(), RuleEvents.CodePrefix + "write_refused", EventState.Occurred, EventSeverity.Warning,
                        $"Rule {write.RuleId} could not write {write.Value} to {write.Point}: {outcome.Status}, {outcome.Reason}", write.Point, write.Value),
                    CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: writes not yet made are counted in StopAsync.
        }
    }

    /// <summary>Builds the engines again when the running devices differ from those they were bound to. Under the lock.</summary>
    private void Rebind(bool force)
    {
        var devices = _devices();
        var key = string.Join('|', devices.Select(d => $"{d.DeviceId}={d.Model}"));
        if (!force && key == _boundTo)
            return;
        _boundTo = key;

        // The old engines' alarms are cleared: new engines know nothing of them, and a rule whose condition still
        // holds raises its alarm again.
        foreach (var engine in _engines)
        {
            foreach (var alarm in engine.ActiveAlarms)
            {
                _decidedEvents.Writer.TryWrite(new DeviceEvent(alarm.DeviceId, _time.GetUtcNow(), RuleEvents.CodePrefix + alarm.Alarm, EventState.Cleared, EventSeverity.Info,
                    $"{alarm.Alarm} cleared: rule set {engine.RuleSet.Id} reloaded [rule {engine.RuleSet.Id}/{alarm.RuleId}]"));
            }
        }

        var engines = new List<RuleEngine>();
        foreach (var ruleSet in _ruleSets)
        {
            var bindings = RuleSetBinder.Bind(ruleSet, devices, out var problem);
            if (problem is not null)
                LogNotBound(_logger, problem);
            foreach (var binding in bindings)
                engines.Add(new RuleEngine(ruleSet, binding, _engineOptions, _time, this));
        }

        _engines = engines;

        // Readings are reported by exception: a point that does not move is not read again for a long while, so a new
        // engine starts from the latest value of every point rather than from unknown.
        foreach (var engine in engines)
        {
            _emitting = engine;
            foreach (var ((device, point), latest) in _latest)
            {
                if (engine.TryGetSlot(device, point, out var slot))
                    engine.Update(slot, latest.Value, latest.Quality, latest.At);
            }
        }

        LogBound(_logger, engines.Count, _ruleSets.Count, devices.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge rules: {Engines} engines for {RuleSets} rule sets over {Devices} devices")]
    private static partial void LogBound(ILogger logger, int engines, int ruleSets, int devices);

    [LoggerMessage(Level = LogLevel.Error, Message = "Edge rules: {Problem}; the rule set does not run until such a device runs")]
    private static partial void LogNotBound(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge rule event {DeviceId} {Code} {State}: {Message}")]
    private static partial void LogDecided(ILogger logger, string deviceId, string code, EventState state, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Edge rules: {RuleSet}/{Rule} set virtual.{Point} = {Value}")]
    private static partial void LogVirtualPoint(ILogger logger, string ruleSet, string rule, string point, double value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Edge rule {Rule} wrote {Value} to {Point} of {DeviceId}")]
    private static partial void LogWritten(ILogger logger, string rule, string deviceId, string point, double value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge rule {Rule} could not write {Value} to {Point} of {DeviceId}: {Status} ({Reason})")]
    private static partial void LogWriteRefused(ILogger logger, string rule, string deviceId, string point, double value, Fleet.Contracts.Commands.CommandStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge rules: {Count} writes the rules decided were not made before shutdown")]
    private static partial void LogWritesDroppedAtShutdown(ILogger logger, int count);
}
