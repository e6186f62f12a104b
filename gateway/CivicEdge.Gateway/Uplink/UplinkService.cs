using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Keeps the gateway connected to the fleet and runs <see cref="OutboxDelivery"/> over each connection. A lost or
/// refused connection is retried after <see cref="ReconnectBackoff"/>; on shutdown the gateway announces itself
/// offline and disconnects cleanly.
/// </summary>
public sealed partial class UplinkService(
    IUplinkTransport transport,
    OutboxDelivery delivery,
    UplinkMonitor monitor,
    UplinkOptions options,
    TimeProvider timeProvider,
    ILogger<UplinkService> logger,
    UplinkState? state = null) : BackgroundService
{
    /// <summary>How long shutdown waits for the offline announcement and the clean disconnect.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new ReconnectBackoff(options.ReconnectDelay, options.MaxReconnectDelay);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            IUplinkSession? session = null;
            try
            {
                session = await transport.ConnectAsync(stoppingToken).ConfigureAwait(false);
                LogConnected(logger, options.Host, options.Port, options.Tls ? "TLS" : "plain TCP");
                monitor.Connected();
                backoff.Reset();
                failures = 0;
                if (state is not null)
                    await state.ConnectedAsync(session, stoppingToken).ConfigureAwait(false);
                await delivery.RunAsync(session, stoppingToken).ConfigureAwait(false);
                monitor.Disconnected("the connection was lost");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Whatever broke the link (refused connection, reset socket, broker gone), the remedy is the same:
                // the records are safe in the outbox, so reconnect and send them again.
                failures++;
                monitor.Disconnected(ex.Message);
                LogLinkFailed(logger, options.Host, options.Port, failures, ex.Message);
            }
            finally
            {
                state?.Disconnected();
                if (session is not null)
                {
                    await EndAsync(session, announce: stoppingToken.IsCancellationRequested).ConfigureAwait(false);
                    if (stoppingToken.IsCancellationRequested)
                        monitor.Disconnected(null);
                }
            }

            if (stoppingToken.IsCancellationRequested)
                break;
            var delay = backoff.Next();
            LogReconnecting(logger, delay);
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task EndAsync(IUplinkSession session, bool announce)
    {
        try
        {
            if (announce)
            {
                using var timeout = new CancellationTokenSource(CloseTimeout, timeProvider);
                await session.CloseAsync(timeout.Token).ConfigureAwait(false);
                LogClosed(logger);
            }
        }
        catch (Exception ex)
        {
            // The last will announces the gateway offline when the clean goodbye cannot be sent.
            LogCloseFailed(logger, ex.Message);
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the fleet at {Host}:{Port} over {Transport}")]
    private static partial void LogConnected(ILogger logger, string host, int port, string transport);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uplink to {Host}:{Port} failed (attempt {Attempt}): {Error}")]
    private static partial void LogLinkFailed(ILogger logger, string host, int port, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnecting in {Delay}")]
    private static partial void LogReconnecting(ILogger logger, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Announced offline and disconnected from the fleet")]
    private static partial void LogClosed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce offline on shutdown: {Error}")]
    private static partial void LogCloseFailed(ILogger logger, string error);
}
