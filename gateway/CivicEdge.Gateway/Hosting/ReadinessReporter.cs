using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Hosting;

/// <summary>
/// Prints <c>civicedge-gateway ready id=&lt;id&gt; devices=&lt;n&gt;</c> on standard output once every hosted service
/// has started: the outbox is open and every device is being polled. Scripts and tests wait for this line.
/// </summary>
public sealed class ReadinessReporter(
    IOptions<GatewayOptions> gateway,
    AcquisitionService acquisition,
    IHostApplicationLifetime lifetime,
    TextWriter output) : IHostedService
{
    public static string ReadyLine(string gatewayId, int devices) => $"civicedge-gateway ready id={gatewayId} devices={devices}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            output.WriteLine(ReadyLine(gateway.Value.Id, acquisition.Pollers.Count));
            output.Flush();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
