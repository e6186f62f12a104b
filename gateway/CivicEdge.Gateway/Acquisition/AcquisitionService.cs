using System.Threading.Channels;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Starts a <see cref="DevicePoller"/> for every configured device, sharing one master per endpoint, and stops them
/// on shutdown. A poller that fails unexpectedly stops the gateway rather than leaving a device silently unpolled.
/// </summary>
public sealed partial class AcquisitionService(
    IOptions<DevicesOptions> devices,
    ProfileCatalog profiles,
    IModbusMasterFactory masters,
    ChannelWriter<DeviceReading> readings,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AcquisitionService>();
    private readonly Dictionary<DeviceEndpoint, IModbusMaster> _masters = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The pollers started, in configuration order.</summary>
    public IReadOnlyList<DevicePoller> Pollers { get; private set; } = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var pollers = new List<DevicePoller>();
        foreach (var device in devices.Value.Devices)
        {
            var profile = profiles.Get(device.Profile);
            if (!DeviceEndpoint.TryParse(device.Endpoint, out var endpoint))
                throw new InvalidOperationException($"Device '{device.Id}' has endpoint '{device.Endpoint}'; expected {DeviceEndpoint.Expected}.");
            if (!_masters.TryGetValue(endpoint, out var master))
                _masters[endpoint] = master = masters.Create(endpoint);

            var poller = new DevicePoller(
                device.Id,
                profile,
                checked((byte)device.Unit),
                device.PollInterval ?? profile.PollInterval,
                master,
                timeProvider,
                loggerFactory.CreateLogger<DevicePoller>());
            pollers.Add(poller);
            LogPolling(_logger, poller.DeviceId, profile.Model, endpoint.ToString(), poller.UnitId, poller.Interval, poller.Blocks.Count);
            _running.Add(Task.Run(() => RunAsync(poller), CancellationToken.None));
        }

        Pollers = pollers;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var master in _masters.Values)
            await master.DisposeAsync().ConfigureAwait(false);
        _masters.Clear();
        _stopping.Dispose();
    }

    private async Task RunAsync(DevicePoller poller)
    {
        try
        {
            await poller.RunAsync(readings, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogPollerFailed(_logger, ex, poller.DeviceId);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling device {DeviceId} ({Model}) at {Endpoint} unit {Unit} every {Interval} in {Reads} reads")]
    private static partial void LogPolling(ILogger logger, string deviceId, string model, string endpoint, byte unit, TimeSpan interval, int reads);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Polling device {DeviceId} failed unexpectedly; stopping the gateway")]
    private static partial void LogPollerFailed(ILogger logger, Exception exception, string deviceId);
}
