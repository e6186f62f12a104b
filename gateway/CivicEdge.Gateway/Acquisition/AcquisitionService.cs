using System.Threading.Channels;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Runs the configured buses: one master (a Modbus master, or a <see cref="MeterBus"/> for a meter line) and one
/// <see cref="BusScheduler"/> per bus. A new configuration is applied
/// while the gateway runs by <see cref="ApplyAsync"/>, which restarts only what a <see cref="ReconfigurationPlan"/> says
/// changed. A scheduler that fails unexpectedly stops the gateway rather than leaving devices silently unpolled.
/// </summary>
/// <remarks>Nothing is polled until the first <see cref="ApplyAsync"/>; on shutdown every bus stops.</remarks>
public sealed partial class AcquisitionService(
    IModbusMasterFactory masters,
    IMeterBusFactory meterBuses,
    ChannelWriter<DeviceReading> readings,
    ChannelWriter<DeviceEvent> events,
    IAlarmStateStore alarmStates,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AcquisitionService>();
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private List<RunningBus> _running = [];

    /// <summary>The devices polled, in configuration order within each bus.</summary>
    public IReadOnlyList<DevicePoller> Pollers { get; private set; } = [];

    /// <summary>The buses polled.</summary>
    public IReadOnlyList<BusScheduler> Buses { get; private set; } = [];

    /// <summary>The buses and devices running, as values.</summary>
    public IReadOnlyList<BusSpec> Specs { get; private set; } = [];

    /// <summary>A snapshot of every device's counters, for health reporting.</summary>
    public IReadOnlyList<DeviceCounters> Snapshot() => [.. Pollers.Select(p => p.Counters)];

    /// <summary>What <see cref="ApplyAsync"/> would do with <paramref name="configuration"/>.</summary>
    public ReconfigurationPlan Plan(DeviceConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return ReconfigurationPlan.Between(Specs, [.. configuration.Buses.Select(b => BusSpec.Of(b, configuration.Profiles))]);
    }

    /// <summary>
    /// Runs <paramref name="configuration"/>: buses and devices that did not change keep polling undisturbed, the rest
    /// are stopped, reopened or started. New masters and pollers are made before anything stops, so a failure to make
    /// them leaves the running configuration as it was. One application at a time.
    /// </summary>
    /// <returns>What was done.</returns>
    public async Task<ReconfigurationPlan> ApplyAsync(DeviceConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopping.IsCancellationRequested)
                throw new InvalidOperationException("The gateway is stopping; no configuration is applied any more.");
            var wanted = configuration.Buses.Select(b => (Assignment: b, Spec: BusSpec.Of(b, configuration.Profiles))).ToList();
            var plan = ReconfigurationPlan.Between(Specs, [.. wanted.Select(w => w.Spec)]);
            if (plan.IsEmpty)
                return plan;

            var running = _running.ToDictionary(b => b.Spec.Link.Id, StringComparer.Ordinal);
            var changes = plan.Changes.ToDictionary(c => c.BusId, StringComparer.Ordinal);
            var next = Prepare(wanted, running, changes, configuration.Profiles);

            // Stop what changes (all of it, before anything starts: a renamed bus may reopen the same serial port).
            var stopping = _running.Where(b => changes[b.Spec.Link.Id].Kind != BusChangeKind.Unchanged).ToList();
            await Task.WhenAll(stopping.Select(b => b.StopAsync())).ConfigureAwait(false);
            foreach (var bus in stopping.Where(b => changes[b.Spec.Link.Id].Kind is BusChangeKind.Removed or BusChangeKind.Relinked))
                await bus.Master.DisposeAsync().ConfigureAwait(false);

            foreach (var bus in next.Where(b => b.Task is null))
                bus.Start(token => RunAsync(bus, token), _stopping.Token);
            _running = next;
            Buses = [.. next.Select(b => b.Scheduler)];
            Pollers = [.. next.SelectMany(b => b.Scheduler.Devices)];
            Specs = [.. next.Select(b => b.Spec)];
            LogApplied(_logger, plan.ToString(), Pollers.Count, Buses.Count);
            return plan;
        }
        finally
        {
            _applying.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Select(b => b.Task ?? Task.CompletedTask)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var bus in _running)
        {
            await bus.Master.DisposeAsync().ConfigureAwait(false);
            bus.Dispose();
        }

        _running.Clear();
        _stopping.Dispose();
        _applying.Dispose();
    }

    /// <summary>The buses to run: unchanged ones as they are, the others with new schedulers (and masters and pollers where needed).</summary>
    private List<RunningBus> Prepare(
        List<(BusAssignment Assignment, BusSpec Spec)> wanted,
        Dictionary<string, RunningBus> running,
        Dictionary<string, BusChange> changes,
        ProfileCatalog profiles)
    {
        var next = new List<RunningBus>(wanted.Count);
        var created = new List<IAsyncDisposable>();
        try
        {
            foreach (var (assignment, spec) in wanted)
            {
                var change = changes[spec.Link.Id];
                if (change.Kind == BusChangeKind.Unchanged)
                {
                    next.Add(running[spec.Link.Id]);
                    continue;
                }

                IAsyncDisposable master;
                if (change.Kind == BusChangeKind.Regrouped)
                {
                    master = running[spec.Link.Id].Master;
                }
                else
                {
                    master = assignment.Link.IsMeterLine ? meterBuses.Create(assignment.Link) : masters.Create(assignment.Link);
                    created.Add(master);
                }

                var kept = change.Kind == BusChangeKind.Regrouped
                    ? running[spec.Link.Id].Scheduler.Devices.ToDictionary(p => p.DeviceId, StringComparer.Ordinal)
                    : [];
                var pollers = assignment.Devices
                    .Select(device => change.Kept.Contains(device.Id, StringComparer.Ordinal)
                        ? kept[device.Id]
                        : Poller(device, profiles.Get(device.Profile), assignment.Link, master))
                    .ToList();
                next.Add(new RunningBus(spec, master, new BusScheduler(assignment.Link, pollers, timeProvider, loggerFactory.CreateLogger<BusScheduler>(), alarmStates)));
            }

            return next;
        }
        catch
        {
            foreach (var master in created)
                master.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private DevicePoller Poller(DeviceOptions device, DeviceProfile profile, ModbusLink link, IAsyncDisposable master)
    {
        BusPlan.TryParsePriority(device.Priority, out var priority);
        if (master is MeterBus line)
        {
            var meter = new DevicePoller(
                device.Id,
                profile,
                device.Address!,
                device.PollInterval ?? profile.PollInterval,
                line.ReaderFor(device.Address, profile),
                timeProvider,
                loggerFactory.CreateLogger<DevicePoller>(),
                priority,
                link.Id);
            LogPollingMeter(_logger, meter.DeviceId, profile.Model, link.ToString(), meter.Address!, meter.Interval, meter.MeterRequests, priority);
            return meter;
        }

        var poller = new DevicePoller(
            device.Id,
            profile,
            checked((byte)device.Unit),
            device.PollInterval ?? profile.PollInterval,
            (IModbusMaster)master,
            timeProvider,
            loggerFactory.CreateLogger<DevicePoller>(),
            priority,
            link.Id);
        LogPolling(_logger, poller.DeviceId, profile.Model, link.ToString(), poller.UnitId, poller.Interval, poller.Blocks.Count, priority);
        if (poller.TextPoints.Count > 0)
            LogTextPointsLeftOut(_logger, poller.DeviceId, string.Join(", ", poller.TextPoints.Select(p => p.Name)));
        return poller;
    }

    private async Task RunAsync(RunningBus bus, CancellationToken stopping)
    {
        // Off the caller's thread: ApplyAsync must not run a first poll inline.
        await Task.Yield();
        try
        {
            await bus.Scheduler.RunAsync(readings, events, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped by a reconfiguration or by shutdown.
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            LogBusFailed(_logger, ex, bus.Spec.Link.Id);
            lifetime.StopApplication();
        }
    }

    /// <summary>A bus as it runs: its spec, master, scheduler and the token that stops it alone or with the gateway.</summary>
    private sealed class RunningBus(BusSpec spec, IAsyncDisposable master, BusScheduler scheduler) : IDisposable
    {
        private CancellationTokenSource? _stop;

        public BusSpec Spec { get; } = spec;

        /// <summary>The bus's Modbus master, or its <see cref="MeterBus"/>.</summary>
        public IAsyncDisposable Master { get; } = master;

        public BusScheduler Scheduler { get; } = scheduler;

        public Task? Task { get; private set; }

        public void Start(Func<CancellationToken, Task> run, CancellationToken gatewayStopping)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(gatewayStopping);
            Task = run(_stop.Token);
        }

        public async Task StopAsync()
        {
            if (_stop is null)
                return;
            await _stop.CancelAsync().ConfigureAwait(false);
            await (Task ?? System.Threading.Tasks.Task.CompletedTask).ConfigureAwait(false);
            _stop.Dispose();
            _stop = null;
        }

        public void Dispose() => _stop?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling device {DeviceId} ({Model}) on {Bus} unit {Unit} every {Interval} in {Reads} reads, priority {Priority}")]
    private static partial void LogPolling(ILogger logger, string deviceId, string model, string bus, byte unit, TimeSpan interval, int reads, DevicePriority priority);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling meter {DeviceId} ({Model}) on {Bus} at address {Address} every {Interval} in {Reads} requests, priority {Priority}")]
    private static partial void LogPollingMeter(ILogger logger, string deviceId, string model, string bus, string address, TimeSpan interval, int reads, DevicePriority priority);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId}: text points {Points} are left out of telemetry; text points are reported through the device twin")]
    private static partial void LogTextPointsLeftOut(ILogger logger, string deviceId, string points);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration applied ({Plan}): {Devices} devices on {Buses} buses")]
    private static partial void LogApplied(ILogger logger, string plan, int devices, int buses);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Polling bus {Bus} failed unexpectedly; stopping the gateway")]
    private static partial void LogBusFailed(ILogger logger, Exception exception, string bus);
}
