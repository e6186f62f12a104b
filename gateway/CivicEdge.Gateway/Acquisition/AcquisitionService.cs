using System.Threading.Channels;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Opens one master per bus and starts a <see cref="BusScheduler"/> for each, and stops them on shutdown. A scheduler
/// that fails unexpectedly stops the gateway rather than leaving devices silently unpolled.
/// </summary>
public sealed partial class AcquisitionService(
    IOptions<DevicesOptions> devices,
    ProfileCatalog profiles,
    IModbusMasterFactory masters,
    ChannelWriter<DeviceReading> readings,
    ChannelWriter<DeviceEvent> events,
    IAlarmStateStore alarmStates,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AcquisitionService>();
    private readonly List<IModbusMaster> _masters = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The devices polled, in configuration order within each bus.</summary>
    public IReadOnlyList<DevicePoller> Pollers { get; private set; } = [];

    /// <summary>The buses polled.</summary>
    public IReadOnlyList<BusScheduler> Buses { get; private set; } = [];

    /// <summary>A snapshot of every device's counters, for health reporting.</summary>
    public IReadOnlyList<DeviceCounters> Snapshot() => [.. Pollers.Select(p => p.Counters)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var buses = new List<BusScheduler>();
        foreach (var assignment in BusPlan.Resolve(devices.Value))
        {
            var master = masters.Create(assignment.Link);
            _masters.Add(master);
            var pollers = assignment.Devices.Select(device => Poller(device, assignment.Link, master)).ToList();
            buses.Add(new BusScheduler(assignment.Link, pollers, timeProvider, loggerFactory.CreateLogger<BusScheduler>(), alarmStates));
        }

        Buses = buses;
        Pollers = [.. buses.SelectMany(b => b.Devices)];
        foreach (var bus in buses)
            _running.Add(Task.Run(() => RunAsync(bus), CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var master in _masters)
            await master.DisposeAsync().ConfigureAwait(false);
        _masters.Clear();
        _stopping.Dispose();
    }

    private DevicePoller Poller(DeviceOptions device, ModbusLink link, IModbusMaster master)
    {
        var profile = profiles.Get(device.Profile);
        BusPlan.TryParsePriority(device.Priority, out var priority);
        var poller = new DevicePoller(
            device.Id,
            profile,
            checked((byte)device.Unit),
            device.PollInterval ?? profile.PollInterval,
            master,
            timeProvider,
            loggerFactory.CreateLogger<DevicePoller>(),
            priority,
            link.Id);
        LogPolling(_logger, poller.DeviceId, profile.Model, link.ToString(), poller.UnitId, poller.Interval, poller.Blocks.Count, priority);
        if (poller.TextPoints.Count > 0)
            LogTextPointsLeftOut(_logger, poller.DeviceId, string.Join(", ", poller.TextPoints.Select(p => p.Name)));
        return poller;
    }

    private async Task RunAsync(BusScheduler bus)
    {
        try
        {
            await bus.RunAsync(readings, events, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogBusFailed(_logger, ex, bus.Link.Id);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling device {DeviceId} ({Model}) on {Bus} unit {Unit} every {Interval} in {Reads} reads, priority {Priority}")]
    private static partial void LogPolling(ILogger logger, string deviceId, string model, string bus, byte unit, TimeSpan interval, int reads, DevicePriority priority);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId}: text points {Points} are left out of telemetry; text points are reported through the device twin")]
    private static partial void LogTextPointsLeftOut(ILogger logger, string deviceId, string points);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Polling bus {Bus} failed unexpectedly; stopping the gateway")]
    private static partial void LogBusFailed(ILogger logger, Exception exception, string bus);
}
