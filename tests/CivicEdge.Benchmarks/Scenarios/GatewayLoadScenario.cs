using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Hardware;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// The gateway as a pole cabinet or meter room runs it, measured from the outside: civicedge-gateway polls
/// <see cref="Devices"/> simulated Eastron SDM630 meters, each on a Modbus TCP connection of its own, fast enough to read
/// <see cref="TargetPointsPerSecond"/> points a second, and delivers to a real fleet. After a warm-up the gateway's CPU
/// time and resident memory are sampled once a second from /proc, the way a utility's monitoring would see them, and
/// the poll rate it achieved is read from its own counters (<c>GET /status</c>). Each build (framework-dependent, Native
/// AOT) runs in turn against the same meters and fleet, with the runtime settings of the systemd unit.
/// </summary>
internal static class GatewayLoadScenario
{
    public const int Devices = 50;
    public const double TargetPointsPerSecond = 2000;
    private const string Model = "eastron-sdm630";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    public static async Task<List<GatewayLoadFigures>> RunAsync(
        IReadOnlyList<GatewayBuild> builds, TimeSpan warmUp, TimeSpan measure, CancellationToken cancellationToken)
    {
        var profiles = ProfileLoader.LoadDirectory(ProfileDirectory.Locate());
        var pointsPerPoll = profiles.Get(Model).Points.Count(point => !point.IsText);
        var interval = TimeSpan.FromSeconds(Devices * pointsPerPoll / TargetPointsPerSecond);
        var environment = DeployedEnvironment.Read();

        var work = Directory.CreateTempSubdirectory("civicedge-gateway-load-");
        var processes = new List<ChildProcess>();
        try
        {
            var mqttPort = FreePort();
            var adminKeyFile = Path.Combine(work.FullName, "admin.key");
            var fleet = Start(processes, "fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
                ["--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}",
                 "--Fleet:Ledger:CodeScheme=topic-level", $"--Fleet:Access:BootstrapKeyFile={adminKeyFile}"]);
            var fleetReady = await fleet.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            var fleetUrl = fleetReady.Split(' ').Single(field => field.StartsWith("http=", StringComparison.Ordinal))["http=".Length..];
            using var fleetApi = new HttpClient { BaseAddress = new Uri(fleetUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };
            fleetApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer", (await File.ReadAllLinesAsync(adminKeyFile, cancellationToken))[0].Trim());

            var meters = Start(processes, "meters", BuiltAssembly.Find("CivicEdge.Simulators.Host", "civicsim"),
                ["modbus", "--tcp", "--bind", "127.0.0.1", "--port", "0", "--seed", "11",
                 .. Enumerable.Range(1, Devices).SelectMany(unit => new[] { "--device", $"unit={unit},profile={Model}" })]);
            var ready = await meters.WaitForLineAsync(line => line.StartsWith("civicsim ready ", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            var endpoint = ready.Split(' ').Single(field => field.StartsWith("modbus=", StringComparison.Ordinal))["modbus=".Length..];

            var figures = new List<GatewayLoadFigures>();
            for (var i = 0; i < builds.Count; i++)
            {
                // Each build is a gateway of its own in the ledger, with meters of its own behind it.
                var gatewayId = string.Create(CultureInfo.InvariantCulture, $"gw-load-{i + 1:D2}");
                var directory = Directory.CreateDirectory(Path.Combine(work.FullName, $"gateway-{i}")).FullName;
                var secretFile = Path.Combine(directory, "gateway.secret");
                await GatewayEnrolment.EnrolAsync(
                    fleetApi, gatewayId, [.. Enumerable.Range(1, Devices).Select(unit => new EnrolledDevice(MeterId(gatewayId, unit), DeviceKind.EnergyMeter, Model))],
                    secretFile, "benchmark", cancellationToken);
                figures.Add(await MeasureAsync(builds[i], directory, gatewayId, secretFile, mqttPort, endpoint, interval, pointsPerPoll,
                    environment, warmUp, measure, cancellationToken));
            }

            return figures;
        }
        finally
        {
            for (var i = processes.Count - 1; i >= 0; i--)
                await processes[i].DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static async Task<GatewayLoadFigures> MeasureAsync(
        GatewayBuild build,
        string directory,
        string gatewayId,
        string secretFile,
        int mqttPort,
        string endpoint,
        TimeSpan interval,
        int pointsPerPoll,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan warmUp,
        TimeSpan measure,
        CancellationToken cancellationToken)
    {
        var gatewayUrl = $"http://127.0.0.1:{FreePort()}";
        // Configuration and data in folders of their own, as the systemd unit has them (/etc/civicedge, /var/lib/civicedge):
        // the gateway watches its configuration file's folder, which would otherwise wake at every commit to the outbox.
        var config = Path.Combine(Directory.CreateDirectory(Path.Combine(directory, "etc")).FullName, "gateway.json");
        var data = Directory.CreateDirectory(Path.Combine(directory, "data")).FullName;
        await File.WriteAllTextAsync(config, GatewayConfiguration(gatewayId, data, mqttPort, secretFile, gatewayUrl, endpoint, interval), cancellationToken);
        await using var gateway = ChildProcess.Start(build.Name, build.Executable, ["--config", config], environment: environment);
        await gateway.WaitForLineAsync(line => line.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);

        using var http = new HttpClient { BaseAddress = new Uri(gatewayUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };
        await Task.Delay(warmUp, cancellationToken);

        var pollsBefore = await PollsAsync(http, cancellationToken);
        var samples = new List<ProcessSample> { ProcessSample.Of(gateway.Id) };
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (samples[^1].At - samples[0].At < measure && await tick.WaitForNextTickAsync(cancellationToken))
            samples.Add(ProcessSample.Of(gateway.Id));
        var pollsAfter = await PollsAsync(http, cancellationToken);

        if (gateway.HasExited)
            throw new InvalidOperationException($"The gateway ({build.Name}) exited during the run:\n{gateway.RecentOutput}");
        var (first, last) = (samples[0], samples[^1]);
        var seconds = (last.At - first.At).TotalSeconds;
        const double Megabyte = 1024 * 1024;
        return new GatewayLoadFigures(
            build.Name,
            Devices,
            TargetPointsPerSecond,
            (pollsAfter.Polls - pollsBefore.Polls) * pointsPerPoll / (pollsAfter.At - pollsBefore.At).TotalSeconds,
            (last.CpuSeconds - first.CpuSeconds) / seconds * 100,
            samples.Average(s => s.ResidentBytes) / Megabyte,
            last.PeakResidentBytes / Megabyte,
            samples.Average(s => s.AnonymousBytes) / Megabyte,
            last.At - first.At,
            environment);
    }

    private static string MeterId(string gatewayId, int unit) => string.Create(CultureInfo.InvariantCulture, $"mtr-{gatewayId}-{unit:D2}");

    private static string GatewayConfiguration(string gatewayId, string data, int mqttPort, string secretFile, string gatewayUrl, string endpoint, TimeSpan interval)
    {
        var devices = new JsonArray();
        for (var unit = 1; unit <= Devices; unit++)
        {
            devices.Add(new JsonObject
            {
                ["Id"] = MeterId(gatewayId, unit),
                ["Profile"] = Model,
                ["Endpoint"] = $"tcp://{endpoint}",
                ["Unit"] = unit,
                ["PollInterval"] = string.Create(CultureInfo.InvariantCulture, $"{(int)interval.TotalMilliseconds}ms"),
            });
        }

        return new JsonObject
        {
            ["Gateway"] = new JsonObject
            {
                ["Id"] = gatewayId,
                ["DataPath"] = Path.Combine(data, "gateway.db"),
                ["Http"] = new JsonObject { ["Url"] = gatewayUrl },
            },
            ["Uplink"] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = mqttPort, ["Username"] = gatewayId, ["PasswordFile"] = secretFile },
            ["Devices"] = devices,
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static async Task<(long Polls, DateTimeOffset At)> PollsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        var report = await http.GetFromJsonAsync("status", ContractsJson.Default.HealthReport, cancellationToken)
            ?? throw new InvalidOperationException("The gateway's /status answered null.");
        return (report.Devices.Sum(device => device.Polls), at);
    }

    private static ChildProcess Start(List<ChildProcess> processes, string name, string assembly, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(name, assembly, arguments);
        processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
