using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;
using MQTTnet;
using MQTTnet.Protocol;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// The gateway updating itself against the real fleet: the built gateway installed in slot a of a temporary install
/// folder and started through gateway/deploy/civicedge-gateway-launcher by a supervisor that restarts it whenever it
/// exits, as systemd's Restart=always does; a signed package of a new version (the same build with its version stamp
/// rewritten to 0.2.0) uploaded to the fleet's artifact API, put in a campaign and offered on the gateway's OTA topic;
/// the gateway downloads it with its own ledger credential. Once it is killed
/// with SIGKILL at every step on the way and still confirms; once the new version cannot start and is rolled back.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
[UnsupportedOSPlatform("windows")]
public sealed class GatewaySelfUpdateTests
{
    private const string GatewayId = "gw-ota-01";
    private const string MeterId = "mtr-ota-01";
    private const string MeterModel = "eastron-sdm630";
    private const string HardwareModel = "linux-x64";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan UpdateTimeout = TimeSpan.FromMinutes(4);

    private readonly List<ChildProcess> _processes = [];
    private readonly ConcurrentQueue<OtaStatusReport> _reports = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly List<string> _runs = [];
    private readonly ConcurrentQueue<int> _exitCodes = new();
    private string _work = string.Empty;
    private string _install = string.Empty;
    private OtaSigningKey _signer = null!;
    private HttpClient _fleet = null!;
    private IMqttClient _mqtt = null!;
    private int _mqttPort;
    private string _meterEndpoint = string.Empty;
    private CancellationTokenSource _stop = new();
    private Task _supervisor = Task.CompletedTask;
    private ChildProcess? _gateway;

    [SetUp]
    public async Task StartFleetAndInstallGateway()
    {
        _stop = new CancellationTokenSource();
        _supervisor = Task.CompletedTask;
        _reports.Clear();
        _violations.Clear();
        _runs.Clear();
        _exitCodes.Clear();
        _work = Directory.CreateTempSubdirectory("civicedge-ota-").FullName;
        _signer = OtaSigningKey.Generate();
        File.WriteAllText(Path.Combine(_work, "release.pub.pem"), _signer.PublicKey.Pem);

        _mqttPort = FreePort.Next();
        // The broker admits anyone here, so that the test can play the campaign's offers and read the reports.
        var fleet = Start("fleet", BuiltExecutables.Fleet, [], "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={_mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_work, "fleet.db")}", "--Fleet:Ledger:CodeScheme=topic-level", "--Fleet:Broker:Authentication=false",
            $"--Fleet:Ota:TrustedKeyFiles:0={Path.Combine(_work, "release.pub.pem")}", FleetAccess.BootstrapKeySwitch);
        var ready = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        _fleet = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(ready, "http") + "/"), Timeout = TimeSpan.FromSeconds(60) });
        // The gateway downloads with its own ledger credential, so it is enrolled like any other and gets a password.
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
        {
            await GatewayEnrolment.EnrolAsync(_fleet, new EnrolledDevice(GatewayId, DeviceKind.Gateway, HardwareModel),
                [new EnrolledDevice(MeterId, DeviceKind.EnergyMeter, MeterModel)], Path.Combine(_work, "gateway.secret"), "e2e", enrolling.Token);
        }
        var meter = Start("meter", BuiltExecutables.Simulator, [], "modbus", "--profile", MeterModel, "--bind", "127.0.0.1", "--port", "0", "--seed", "7");
        _meterEndpoint = ReadinessLine.Field(await meter.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout), "modbus");

        _install = Path.Combine(_work, "install");
        CopyFolder(Path.GetDirectoryName(BuiltExecutables.Gateway)!, Path.Combine(_install, "slots", "a"));
        File.CreateSymbolicLink(Path.Combine(_install, "current"), "slots/a");
        var launcher = Path.Combine(_install, "civicedge-gateway-launcher");
        File.Copy(Path.Combine(BuiltExecutables.RepositoryRoot.FullName, "gateway", "deploy", "civicedge-gateway-launcher"), launcher);
        File.SetUnixFileMode(launcher, (UnixFileMode)0b111_101_101);

        _mqtt = new MqttClientFactory().CreateMqttClient();
        _mqtt.ApplicationMessageReceivedAsync += args =>
        {
            _reports.Enqueue(JsonSerializer.Deserialize(args.ApplicationMessage.Payload.ToArray(), OtaJson.Default.OtaStatusReport)!);
            return Task.CompletedTask;
        };
        await _mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _mqttPort).WithClientId("ota-e2e-campaign")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        await _mqtt.SubscribeAsync(Topics.OtaStatus(GatewayId), MqttQualityOfServiceLevel.AtLeastOnce);
    }

    [TearDown]
    public async Task StopEverything()
    {
        await _stop.CancelAsync();
        if (_gateway is { } gateway)
            await gateway.DisposeAsync();
        try
        {
            await _supervisor.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
        _mqtt?.Dispose();
        _fleet?.Dispose();
        _signer.Dispose();
        _stop.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine(string.Join(Environment.NewLine + "----" + Environment.NewLine, _runs));
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task A_new_version_is_installed_and_confirmed_though_the_gateway_is_killed_at_every_step_on_the_way()
    {
        string[] kills = ["downloading", "downloaded", "staging", "staged", "switched", "trial"];
        _supervisor = SuperviseAsync(maxTrialBoots: 3, run => run < kills.Length ? kills[run] : null);
        var package = await UploadAsync("0.2.0", NewVersion("0.2.0"));

        var offered = Stopwatch.StartNew();
        await OfferUntilAnsweredAsync(package, "campaign-good");
        var confirmed = await ReportAsync(r => r.Phase is OtaPhase.Confirmed or OtaPhase.RolledBack or OtaPhase.Failed);
        TestContext.Out.WriteLine($"offer to confirmation: {offered.Elapsed.TotalSeconds:0.0} s, {_runs.Count + 1} starts, a payload of {package.Artifact.Manifest.Size} bytes");

        Assert.That((confirmed.Phase, confirmed.RunningVersion, confirmed.Reason), Is.EqualTo((OtaPhase.Confirmed, "0.2.0", (string?)null)),
            string.Join(Environment.NewLine, _runs.TakeLast(2)));
        Assert.That(new FileInfo(Path.Combine(_install, "current")).LinkTarget, Is.EqualTo("slots/b"));
        var state = new UpdateStateFile(Path.Combine(_install, "update.state")).Read()!;
        Assert.That((state.Step, state.TrialBoots), Is.EqualTo((UpdateStep.Confirmed, 2)), "the start killed during the trial counted as one");
        Assert.That(_exitCodes.Take(kills.Length), Is.EqualTo(Enumerable.Repeat(137, kills.Length)), "every kill point was reached: each run ended by SIGKILL (128 + 9)");
        var phases = _reports.Select(r => r.Phase).Distinct().ToList();
        Assert.That(phases, Is.EqualTo(new[] { OtaPhase.Downloading, OtaPhase.Verified, OtaPhase.Staged, OtaPhase.Rebooting, OtaPhase.Confirmed }));
        var numbers = _reports.Select(r => (r.Sequence, r.Phase)).Distinct().ToList();
        Assert.That(numbers.Select(n => n.Sequence), Is.Ordered, "reports are numbered in the order they are made");
        Assert.That(numbers.Select(n => n.Sequence), Is.Unique, "one number per report; a repeat carries the same number");
        Assert.That(_violations, Is.Empty);
    }

    [Test]
    public async Task A_new_version_that_cannot_start_is_rolled_back_and_the_previous_version_reports_why()
    {
        _supervisor = SuperviseAsync(maxTrialBoots: 2, _ => null);
        var broken = NewVersion("0.2.0");
        // The gateway's own library is garbage: the runtime cannot load it, so the new version dies at every start.
        File.WriteAllBytes(Path.Combine(broken, "CivicEdge.Gateway.dll"), RandomNumberGenerator.GetBytes(4096));
        var package = await UploadAsync("0.2.0", broken);

        await OfferUntilAnsweredAsync(package, "campaign-broken");
        var final = await ReportAsync(r => r.Phase is OtaPhase.Confirmed or OtaPhase.RolledBack or OtaPhase.Failed);

        Assert.That((final.Phase, final.RunningVersion, final.Reason), Is.EqualTo((OtaPhase.RolledBack, "0.1.0", "version 0.2.0 did not confirm in 2 starts")),
            string.Join(Environment.NewLine, _runs.TakeLast(2)));
        Assert.That(new FileInfo(Path.Combine(_install, "current")).LinkTarget, Is.EqualTo("slots/a"));
        Assert.That(_violations, Is.Empty);
    }

    /// <summary>Plays systemd: starts the launcher, and starts it again whenever the gateway exits.</summary>
    private Task SuperviseAsync(int maxTrialBoots, Func<int, string?> killAt) => Task.Run(async () =>
    {
        for (var run = 0; !_stop.IsCancellationRequested; run++)
        {
            var environment = new Dictionary<string, string>
            {
                ["CIVICEDGE_PROFILES"] = Path.Combine(BuiltExecutables.RepositoryRoot.FullName, "hardware", "profiles"),
            };
            if (killAt(run) is { } step)
                environment[KillPointVariable] = step;
            _gateway = ChildProcess.Start($"gateway-{run}", Path.Combine(_install, "civicedge-gateway-launcher"), GatewayArguments(maxTrialBoots), _work, environment);
            int exit;
            try
            {
                exit = await _gateway.WaitForExitAsync(UpdateTimeout, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (TimeoutException)
            {
                return;
            }
            _exitCodes.Enqueue(exit);
            _runs.Add($"run {run} (kill at {killAt(run) ?? "none"}) exit {exit}:{Environment.NewLine}{_gateway.RecentOutput}");
            CheckInstall(run);
            await _gateway.DisposeAsync();
            _gateway = null;
            await Task.Delay(200);
        }
    });

    private const string KillPointVariable = "CIVICEDGE_SELFUPDATE_KILL_AT";

    /// <summary>Whatever the moment of a kill: current is a slot that was completely staged, or the original one.</summary>
    private void CheckInstall(int run)
    {
        var current = new FileInfo(Path.Combine(_install, "current")).LinkTarget;
        if (current == "slots/a")
            return;
        if (current != "slots/b" || SlotStager.StagedVersion(Path.Combine(_install, "slots", "b")) is null)
            _violations.Enqueue($"after run {run}: current is '{current}' with slot b's marker {SlotStager.StagedVersion(Path.Combine(_install, "slots", "b")) ?? "missing"}");
    }

    private string[] GatewayArguments(int maxTrialBoots) =>
    [
        $"--Gateway:Id={GatewayId}",
        $"--Gateway:DataPath={Path.Combine(_work, "gateway.db")}",
        "--Gateway:Http:Url=http://127.0.0.1:0",
        "--Uplink:Host=127.0.0.1",
        $"--Uplink:Port={_mqttPort}",
        "--Uplink:ReconnectDelay=100ms",
        $"--Uplink:Username={GatewayId}",
        $"--Uplink:PasswordFile={Path.Combine(_work, "gateway.secret")}",
        $"--Devices:0:Id={MeterId}",
        $"--Devices:0:Profile={MeterModel}",
        $"--Devices:0:Endpoint=tcp://{_meterEndpoint}",
        "--Devices:0:Unit=1",
        "--Devices:0:PollInterval=200ms",
        "--SelfUpdate:Enabled=true",
        $"--SelfUpdate:InstallRoot={_install}",
        $"--SelfUpdate:HardwareModel={HardwareModel}",
        $"--SelfUpdate:FleetUrl={_fleet.BaseAddress}",
        $"--SelfUpdate:TrustedKeyFiles:0={Path.Combine(_work, "release.pub.pem")}",
        "--SelfUpdate:HealthWindow=2s",
        "--SelfUpdate:TrialDeadline=3m",
        $"--SelfUpdate:MaxTrialBoots={maxTrialBoots}",
    ];

    /// <summary>
    /// A copy of the built gateway stamped with another version: the informational version in CivicEdge.Gateway.dll
    /// (what the gateway reports as its version) rewritten in place, byte for byte the same length.
    /// </summary>
    private string NewVersion(string version)
    {
        var folder = Path.Combine(_work, "release-" + version);
        CopyFolder(Path.Combine(_install, "slots", "a"), folder);
        var library = Path.Combine(folder, "CivicEdge.Gateway.dll");
        var bytes = File.ReadAllBytes(library);
        var stamp = Encoding.UTF8.GetBytes("0.1.0+");
        var at = bytes.AsSpan().IndexOf(stamp);
        Assert.That(at, Is.GreaterThan(0), "the built gateway carries the informational version 0.1.0+<commit>");
        Encoding.UTF8.GetBytes(version + "+").CopyTo(bytes, at);
        File.WriteAllBytes(library, bytes);
        return folder;
    }

    /// <summary>
    /// Releases <paramref name="folder"/> as the README's steps do: a tar.gz of the folder signed by <c>civic ota sign</c>
    /// (kind gateway), then uploaded to the fleet's artifact API.
    /// </summary>
    private async Task<(OtaArtifact Artifact, byte[] ManifestBytes)> UploadAsync(string version, string folder)
    {
        var payload = Path.Combine(_work, $"civicedge-gateway-{version}.tar.gz");
        await using (var file = File.Create(payload))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            await TarFile.CreateFromDirectoryAsync(folder, gzip, includeBaseDirectory: false);
        var key = Path.Combine(_work, "release.key.pem");
        if (!File.Exists(key))
        {
            File.WriteAllText(key, _signer.ExportPrivateKeyPem());
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var packageFile = Path.Combine(_work, $"civicedge-gateway-{version}.cota");
        await using (var sign = ChildProcess.Start("civic-ota-sign", BuiltExecutables.Cli,
            ["ota", "sign", payload, "--key", key, "--product", "civicedge-gateway", "--kind", "gateway", "--model", HardwareModel,
             "--version", version, "--min-version", "0.1.0", "--out", packageFile], _work))
            Assert.That(await sign.WaitForExitAsync(ReadyTimeout), Is.Zero, sign.RecentOutput);

        var bytes = await File.ReadAllBytesAsync(packageFile);
        var head = OtaPackageFormat.ReadHeader(bytes.AsSpan(0, Math.Min(bytes.Length, OtaPackageFormat.MaxHeaderLength)));
        Assert.That(head.Header, Is.Not.Null, head.Reason);
        var package = new ByteArrayContent(bytes);
        package.Headers.ContentType = new MediaTypeHeaderValue(OtaPackageFormat.MediaType);
        using var response = await _fleet.PostAsync("api/ota/artifacts", package);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return ((await response.Content.ReadFromJsonAsync(OtaJson.Default.OtaArtifact))!, head.Header!.ManifestBytes.ToArray());
    }

    /// <summary>
    /// Creates a campaign for the package on the fleet (which lets the gateway download it with its own credential, and
    /// offers it itself) and offers it the same way from here, again every few seconds until the gateway reports on it.
    /// </summary>
    private async Task OfferUntilAnsweredAsync((OtaArtifact Artifact, byte[] ManifestBytes) package, string campaign)
    {
        var (artifact, manifestBytes) = package;
        using (var created = await _fleet.PostAsJsonAsync("api/ota/campaigns", new OtaCampaignRequest(campaign, artifact.Id), OtaJson.Default.OtaCampaignRequest))
            Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var offer = new OtaOffer(campaign, GatewayId, 1, artifact.Id, ArtifactKind.Gateway, artifact.Manifest.Version, artifact.Manifest.Size,
            artifact.Manifest.Sha256, Convert.ToBase64String(manifestBytes), artifact.Signature, artifact.PayloadPath, DateTimeOffset.UtcNow.AddHours(1));
        var message = new MqttApplicationMessageBuilder().WithTopic(Topics.Ota(GatewayId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(offer, OtaJson.Default.OtaOffer))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (_reports.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail("The gateway never answered the offer:" + Environment.NewLine + (_gateway?.RecentOutput ?? string.Join(Environment.NewLine, _runs.TakeLast(1))));
            await _mqtt.PublishAsync(message);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private async Task<OtaStatusReport> ReportAsync(Func<OtaStatusReport, bool> match)
    {
        var deadline = DateTime.UtcNow + UpdateTimeout;
        while (true)
        {
            if (_reports.FirstOrDefault(match) is { } report)
                return report;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No final report; reports: {string.Join(", ", _reports.Select(r => $"{r.Sequence} {r.Phase}"))}{Environment.NewLine}{string.Join(Environment.NewLine, _runs.TakeLast(2))}");
            await Task.Delay(250);
        }
    }

    private ChildProcess Start(string name, string executable, Dictionary<string, string> environment, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, _work, environment);
        _processes.Add(process);
        return process;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
