using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Load;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// A rollout end to end: civicedge-fleet in a process of its own (LiteDB, its broker authenticating every gateway),
/// civicsim's gateways with their devices enrolled in its ledger (downloading with their own credentials), a signed
/// image uploaded, and one campaign in waves with no soak and no failures, run by the fleet's scheduler until it
/// completes. What a campaign costs the fleet and how long it takes when the field bus is the bottleneck, not the
/// fleet's serving alone (that is <see cref="OtaServingScenario"/>).
/// </summary>
internal static class OtaRolloutScenario
{
    private const string Model = "eastron-sdm630";
    private static readonly string[] Waves = ["1%", "10%", "100%"];

    public static async Task<OtaRolloutFigures> RunAsync(int devices, int gateways, int imageBytes, long feedBytesPerSecond, CancellationToken cancellationToken)
    {
        if (devices % gateways != 0)
            throw new ArgumentException($"--otarollout-devices: expected a multiple of --otarollout-gateways ({gateways}), found {devices}", nameof(devices));
        await using var fleet = await OtaFleetProcess.StartAsync(["--Fleet:Ota:CampaignStepInterval=00:00:00.5"], cancellationToken);
        using var http = fleet.CreateAdminClient(new SocketsHttpHandler(), TimeSpan.FromMinutes(2));

        var image = RandomNumberGenerator.GetBytes(imageBytes);
        var manifest = await fleet.UploadAsync(http, "bench-meter", Model, "1.1.0", image, cancellationToken);
        var options = new LoadOptions
        {
            Port = fleet.MqttPort,
            Gateways = gateways,
            DevicesPerGateway = devices / gateways,
            Points = 3,
            Interval = TimeSpan.FromSeconds(10),
            HealthInterval = TimeSpan.FromSeconds(30),
            Prefix = "gw-rollout-",
            DeviceModel = Model,
            DeviceFirmware = "1.0.0",
            Ota = new LoadOtaOptions
            {
                FleetApi = fleet.Url,
                TrustedKeys = [fleet.Key.PublicKey],
                FeedBytesPerSecond = feedBytesPerSecond,
                FailureRate = 0,
            },
        };
        options = options with { Passwords = await LoadEnrolment.EnrolAsync(http, options, "bench", concurrency: 8, cancellationToken) };

        var run = new LoadRun(options, TextWriter.Null);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = run.RunAsync(stop.Token);
        try
        {
            await run.Connected.WaitAsync(cancellationToken);
            var before = ProcessSample.Of(fleet.ProcessId);
            var started = Stopwatch.GetTimestamp();
            using (var created = await http.PostAsJsonAsync("api/ota/campaigns", new OtaCampaignRequest(
                "bench-rollout", manifest.ArtifactId, Waves: Waves, SoakTime: TimeSpan.Zero, FailureThreshold: 0.05,
                ConfirmTimeout: TimeSpan.FromMinutes(30), HealthWindow: TimeSpan.FromSeconds(2), MaxConcurrentDownloads: devices,
                MaxConcurrentPerGateway: devices, Kind: DeviceKind.EnergyMeter, Model: Model), OtaJson.Default.OtaCampaignRequest, cancellationToken))
            {
                if (created.StatusCode != HttpStatusCode.Created)
                    throw new InvalidOperationException($"The campaign was answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}");
            }

            double? confirmedSeconds = null;
            OtaCampaign campaign;
            while (true)
            {
                if (confirmedSeconds is null && run.OtaFigures!.Confirmed >= devices)
                    confirmedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                campaign = (await http.GetFromJsonAsync("api/ota/campaigns/bench-rollout", OtaJson.Default.OtaCampaign, cancellationToken))!;
                if (campaign.State is not ("running" or "paused"))
                    break;
                await Task.Delay(200, cancellationToken);
            }

            var completedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var after = ProcessSample.Of(fleet.ProcessId);
            if (campaign.State != "completed")
                throw new InvalidOperationException($"The campaign ended {campaign.State}: {campaign.Reason}");
            var ota = run.OtaFigures!;
            var figures = new OtaRolloutFigures(
                gateways, devices, imageBytes, feedBytesPerSecond, string.Join(", ", Waves),
                confirmedSeconds ?? completedSeconds, completedSeconds, campaign.Waves.Sum(w => w.Succeeded),
                ota.DownloadedBytes, ota.Downloads, ota.FedBytes, ota.Offers + ota.Repeats, ota.Reports,
                (after.CpuSeconds - before.CpuSeconds) / (after.At - before.At).TotalSeconds * 100,
                after.PeakResidentBytes / (1024.0 * 1024.0));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"OTA rollout: {figures.Devices} devices behind {figures.Gateways} gateways, {figures.ImageBytes} bytes at {figures.FeedBytesPerSecond} B/s per bus: all confirmed {figures.ConfirmedSeconds:F1} s, completed {figures.CompletedSeconds:F1} s; served {figures.ServedBytes} bytes in {figures.Downloads} downloads, fed {figures.FedBytes} bytes; {figures.Offers} offers, {figures.Reports} reports; fleet {figures.FleetCpuPercent:F0} % CPU, peak {figures.FleetPeakResidentMegabytes:F0} MB"));
            return figures;
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }
}
