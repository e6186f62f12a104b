using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Simulators.Load;

/// <summary>What the gateways of one run share for OTA: trusted keys, the failure plan, counters, the devices' versions and the HTTP connections to the fleet.</summary>
internal sealed class OtaRun : IDisposable
{
    private readonly HttpMessageHandler _handler;
    private readonly bool _ownsHandler;

    public OtaRun(LoadOtaOptions options, IEnumerable<string> devices)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.FeedBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FeedsAtOnce, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DownloadAttempts, 1);
        Options = options;
        Verifier = new OtaVerifier(options.TrustedKeys);
        Failures = new OtaFailurePlan(options.Seed, options.FailureRate, devices);
        _ownsHandler = options.FleetHandler is null;
        _handler = options.FleetHandler ?? new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
    }

    public LoadOtaOptions Options { get; }

    public OtaVerifier Verifier { get; }

    public OtaFailurePlan Failures { get; }

    public OtaCounters Counters { get; } = new();

    /// <summary>The version every device of the run runs, by device id.</summary>
    public ConcurrentDictionary<string, string> Versions { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A client of the fleet's REST API that authenticates as <paramref name="gatewayId"/>: with the run's API key if one
    /// is given, else with the gateway's own ledger credential (HTTP Basic, RFC 7617), as the real gateway downloads.
    /// </summary>
    public HttpClient ClientFor(string gatewayId, string? password)
    {
        var api = Options.FleetApi.AbsoluteUri.EndsWith('/') ? Options.FleetApi : new Uri(Options.FleetApi.AbsoluteUri + "/");
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = api, Timeout = TimeSpan.FromMinutes(2) };
        if (Options.ApiKey is { } key)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        else if (password is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{gatewayId}:{password}")));
        return client;
    }

    public OtaLoadFigures Figures() => Counters.Read(
        Versions.Values.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

    public void Dispose()
    {
        if (_ownsHandler)
            _handler.Dispose();
    }
}
