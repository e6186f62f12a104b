using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Health;

/// <summary>
/// Publishes the health report retained on <see cref="Topics.Health"/> every <see cref="HealthOptions.Interval"/>. A
/// report is not queued while the uplink is down: only the newest matters, and the next one goes out once it is up.
/// Reports are made on schedule either way, so error rates keep their window.
/// </summary>
public sealed partial class HealthPublisher(
    HealthMonitor monitor,
    UplinkState uplink,
    string gatewayId,
    HealthOptions options,
    TimeProvider timeProvider,
    ILogger<HealthPublisher> logger) : BackgroundService
{
    /// <summary>How many reports were published.</summary>
    public long Published => Interlocked.Read(ref _published);

    private long _published;

    /// <summary>Also publishes a report as soon as each connection is up, so the fleet does not wait an interval for it.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        uplink.OnConnected((session, token) => PublishAsync(session, monitor.Report(), token));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, timeProvider);
        try
        {
            do
            {
                var report = monitor.Report();
                if (uplink.Session is { } session)
                    await PublishAsync(session, report, stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PublishAsync(IUplinkSession session, HealthReport report, CancellationToken cancellationToken)
    {
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(report, ContractsJson.Default.HealthReport);
            await session.PublishAsync(Topics.Health(gatewayId), payload, retain: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _published);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not publish the health report; the next one goes out on schedule: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string error);
}
