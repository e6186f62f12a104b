using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Load;
using CivicEdge.Simulators.Processes;

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
    private const string AdminKey = "ce_benchadm01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Model = "eastron-sdm630";
    private static readonly string[] Waves = ["1%", "10%", "100%"];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    public static async Task<OtaRolloutFigures> RunAsync(int devices, int gateways, int imageBytes, long feedBytesPerSecond, CancellationToken cancellationToken)
    {
        if (devices % gateways != 0)
            throw new ArgumentException($"--otarollout-devices: expected a multiple of --otarollout-gateways ({gateways}), found {devices}", nameof(devices));
        var work = Directory.CreateTempSubdirectory("civicedge-otarollout-bench-");
        using var key = OtaSigningKey.Generate();
        var keyFile = Path.Combine(work.FullName, "release.pub.pem");
        await File.WriteAllTextAsync(keyFile, key.PublicKey.Pem, cancellationToken);
        var mqttPort = FleetIngestScenario.FreePort();
        var fleet = ChildProcess.Start("fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
        [
            "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}",
            $"--Fleet:Access:BootstrapKey={AdminKey}", $"--Fleet:Ota:TrustedKeyFiles:0={keyFile}", $"--Fleet:Ota:SpoolDirectory={work.FullName}",
            "--Fleet:Ota:CampaignStepInterval=00:00:00.5", "--Fleet:Ledger:CodeScheme=topic-level", "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            var ready = await fleet.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            var url = new Uri(ready.Split(' ').Single(field => field.StartsWith("http=", StringComparison.Ordinal))["http=".Length..] + "/");
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

            var image = RandomNumberGenerator.GetBytes(imageBytes);
            var manifest = await UploadAsync(http, key, image, cancellationToken);
            var options = new LoadOptions
            {
                Port = mqttPort,
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
                    FleetApi = url,
                    TrustedKeys = [key.PublicKey],
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
                var before = ProcessSample.Of(fleet.Id);
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
                var after = ProcessSample.Of(fleet.Id);
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
        finally
        {
            await fleet.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static async Task<OtaManifest> UploadAsync(HttpClient http, OtaSigningKey key, byte[] payload, CancellationToken cancellationToken)
    {
        var manifest = new OtaManifest("bench-meter", ArtifactKind.Firmware, [Model], "1.1.0", null, payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(payload)), null, DateTimeOffset.UtcNow);
        var manifestBytes = OtaPackageFormat.ManifestBytes(manifest);
        using var content = new ByteArrayContent([.. OtaPackageFormat.WriteHeader(manifestBytes, key.Sign(manifestBytes)), .. payload]);
        content.Headers.ContentType = new MediaTypeHeaderValue(OtaPackageFormat.MediaType);
        using var response = await http.PostAsync("api/ota/artifacts", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"The upload of {manifest.ArtifactId} was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return manifest;
    }
}
