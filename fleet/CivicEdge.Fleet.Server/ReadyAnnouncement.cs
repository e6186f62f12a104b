using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Prints <c>civicedge-fleet ready http=&lt;url&gt; mqtt=&lt;host&gt;:&lt;port&gt;</c> on standard output, once, when the REST
/// API listens and the ingest client is subscribed: from then on a published batch is ingested. Scripts and tests
/// that start the fleet wait for this line.
/// </summary>
internal sealed partial class ReadyAnnouncement(
    IHostApplicationLifetime lifetime,
    IServer server,
    MqttIngestService ingest,
    IOptions<FleetHttpOptions> http,
    IOptions<BrokerOptions> broker,
    ILogger<ReadyAnnouncement> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        await ingest.WhenFirstSubscribedAsync(stoppingToken).ConfigureAwait(false);

        // Kestrel reports the bound address (with the real port when 0 was asked for); a test server reports none.
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? http.Value.Url;
        var mqtt = $"{broker.Value.Host}:{broker.Value.Port}";
        await Console.Out.WriteLineAsync($"civicedge-fleet ready http={url} mqtt={mqtt}").ConfigureAwait(false);
        await Console.Out.FlushAsync(stoppingToken).ConfigureAwait(false);
        LogReady(logger, url, mqtt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet ready: REST API at {Url}, MQTT at {Mqtt}")]
    private static partial void LogReady(ILogger logger, string url, string mqtt);
}
