using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Fleet.Storage.PostgreSql.Tests;
using CivicEdge.Simulators.Load;
using CivicEdge.Simulators.Processes;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// Sustained ingest as a city would load the fleet, measured from the outside: civicedge-fleet in a process of its
/// own with its embedded broker, on LiteDB or on PostgreSQL (a throwaway server with its durable defaults: every commit
/// flushed), and <c>civicsim load</c> in another process: many gateways, each with its own MQTT connection, sending
/// batches of numbered readings and waiting for the fleet's acknowledgements, each sending its next batch as soon as
/// one of two in flight is acknowledged. The figure is what the fleet acknowledged as persisted, per second, after a
/// warm-up; the fleet's CPU and memory are read from /proc meanwhile. The broker authenticates every gateway, as in
/// service: civicsim registers the gateways and has each issued a password through the REST API first.
/// </summary>
internal static class FleetIngestScenario
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    public static async Task<FleetIngestFigures> RunAsync(
        string store,
        int gateways,
        int devicesPerGateway,
        int points,
        TimeSpan warmUp,
        TimeSpan measure,
        CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("civicedge-fleet-ingest-");
        var processes = new List<ChildProcess>();
        PostgreSqlCluster? cluster = null;
        try
        {
            string[] storage;
            if (store == "postgresql")
            {
                cluster = await PostgreSqlCluster.StartAsync(durable: true, cancellationToken);
                var database = await cluster.CreateDatabaseAsync("bench", cancellationToken);
                storage = ["--Fleet:Storage:Provider=postgresql", $"--Fleet:Storage:ConnectionString={cluster.ConnectionString(database)}"];
            }
            else
            {
                storage = [$"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}"];
            }

            var mqttPort = FreePort();
            var fleet = Start(processes, "fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
                ["--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", "--Logging:LogLevel:Default=Warning", .. AuthenticatedFleet, .. storage]);
            var ready = await fleet.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);

            var load = Start(processes, "load", BuiltAssembly.Find("CivicEdge.Simulators.Host", "civicsim"),
            [
                "load", "--port", mqttPort.ToString(CultureInfo.InvariantCulture),
                .. Enrolment(ready),
                "--gateways", gateways.ToString(CultureInfo.InvariantCulture),
                "--devices-per-gateway", devicesPerGateway.ToString(CultureInfo.InvariantCulture),
                "--points", points.ToString(CultureInfo.InvariantCulture),
                "--interval", "0",
                "--warm-up", Seconds(warmUp),
                "--duration", Seconds(measure),
            ]);
            await load.WaitForLineAsync(line => line.StartsWith("civicsim ready load", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            await Task.Delay(warmUp, cancellationToken);
            var first = ProcessSample.Of(fleet.Id);
            var done = await load.WaitForLineAsync(line => line.StartsWith("civicsim load done", StringComparison.Ordinal), measure + ReadyTimeout, cancellationToken);
            var last = ProcessSample.Of(fleet.Id);
            if (fleet.HasExited)
                throw new InvalidOperationException($"The fleet exited during the run:\n{fleet.RecentOutput}");

            const double Megabyte = 1024 * 1024;
            var figures = new FleetIngestFigures(
                store,
                gateways,
                devicesPerGateway,
                points,
                LoadFigures.Parse(done),
                (last.CpuSeconds - first.CpuSeconds) / (last.At - first.At).TotalSeconds * 100,
                last.PeakResidentBytes / Megabyte);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Fleet ingest on {store}: {figures.Load.RecordsPerSecond:F0} readings/s ({figures.Load.PointsPerSecond:F0} points/s), ack p50 {figures.Load.AckP50Milliseconds:F0} ms, p99 {figures.Load.AckP99Milliseconds:F0} ms"));
            return figures;
        }
        finally
        {
            for (var i = processes.Count - 1; i >= 0; i--)
                await processes[i].DisposeAsync();
            if (cluster is not null)
                await cluster.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    /// <summary>A throwaway admin key for the run's fleet, given as its bootstrap key and used by civicsim to enrol.</summary>
    private static readonly string AdminKey = $"ce_benchadmin_{Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

    /// <summary>
    /// What a benchmark fleet adds to its command line: the admin key civicsim enrols gateways with, and codes such as
    /// <c>gw-load-00001</c> taken as they are (no province's scheme to satisfy).
    /// </summary>
    internal static string[] AuthenticatedFleet => [$"--Fleet:Access:BootstrapKey={AdminKey}", "--Fleet:Ledger:CodeScheme=topic-level"];

    /// <summary>civicsim's options to register its gateways and get their passwords at the fleet of <paramref name="readyLine"/>.</summary>
    internal static string[] Enrolment(string readyLine)
    {
        var http = readyLine.Split(' ').Select(field => field.Split('=', 2)).Single(pair => pair[0] == "http")[1];
        return ["--fleet-api", http, "--api-key", AdminKey];
    }

    internal static ChildProcess Start(List<ChildProcess> processes, string name, string assembly, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(name, assembly, arguments);
        processes.Add(process);
        return process;
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s");
}
