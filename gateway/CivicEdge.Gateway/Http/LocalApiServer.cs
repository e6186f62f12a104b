using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Health;
using CivicEdge.Gateway.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Http;

/// <summary>
/// The gateway's local HTTP API for installers and monitoring, on its own small Kestrel listener (loopback by default):
/// <c>GET /status</c> answers the <see cref="HealthReport"/> as JSON, <c>GET /metrics</c> the metrics in the Prometheus
/// text format. It only reads; nothing can be changed through it. Runs nothing when turned off.
/// </summary>
public sealed partial class LocalApiServer(
    LocalApiOptions options,
    HealthMonitor monitor,
    PrometheusExporter exporter,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<LocalApiServer>();
    private WebApplication? _app;

    /// <summary>The address it listens on once started (with the real port when port 0 was asked for).</summary>
    public Uri? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            LogDisabled(_logger);
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(options.Url);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        var app = builder.Build();
        app.UseRouting();
        app.MapGet("/status", () => Results.Json(monitor.Report(), ContractsJson.Default.HealthReport));
        app.MapGet("/metrics", () =>
        {
            // A fresh report first: every instrument of this scrape reads it (GatewayMetrics.ReportMaxAge).
            monitor.Report();
            return Results.Text(exporter.Scrape(), PrometheusExporter.ContentType);
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{LocalApiOptions.SectionName}:Url: cannot listen on {options.Url}: {ex.Message}", ex);
        }

        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Url;
        Url = new Uri(address);
        LogListening(_logger, Url);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local API turned off (Gateway:Http:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local API at {Url}: GET /status, GET /metrics")]
    private static partial void LogListening(ILogger logger, Uri url);
}
