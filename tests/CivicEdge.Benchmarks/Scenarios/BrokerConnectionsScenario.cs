using System.Globalization;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Simulators.Processes;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// How many devices the embedded MQTT broker holds: a fresh civicedge-fleet process, its resident memory with nobody
/// connected, then <c>civicsim load --idle</c> in another process opens the connections (MQTT 5, 60 s keep-alive, a
/// subscription to its acknowledgement topic each, as a device holds them) and keeps them; the fleet's resident memory
/// is read again from /proc once they are all up and have kept alive a while. Every device authenticates with a
/// password of its own, registered and issued through the REST API before the baseline is read; secrets are hashed with
/// the fewest iterations the fleet allows, which changes how fast they are issued, not what a connection holds.
/// </summary>
internal static class BrokerConnectionsScenario
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public static async Task<BrokerHoldingFigures> RunAsync(int connections, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("civicedge-broker-connections-");
        var processes = new List<ChildProcess>();
        try
        {
            var mqttPort = FleetIngestScenario.FreePort();
            var fleet = FleetIngestScenario.Start(processes, "fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
            [
                "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", "--Logging:LogLevel:Default=Warning",
                $"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}",
                "--Fleet:Security:HashIterations=1000",
                .. FleetIngestScenario.AuthenticatedFleet,
            ]);
            var fleetReady = await fleet.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), Timeout, cancellationToken);

            var load = FleetIngestScenario.Start(processes, "devices", BuiltAssembly.Find("CivicEdge.Simulators.Host", "civicsim"),
            [
                "load", "--idle", "--port", mqttPort.ToString(CultureInfo.InvariantCulture),
                "--gateways", connections.ToString(CultureInfo.InvariantCulture), "--prefix", "dev-idle-",
                .. FleetIngestScenario.Enrolment(fleetReady),
            ]);

            // The baseline is taken once the ledger holds every device, just before they connect.
            await load.WaitForLineAsync(line => line.StartsWith("civicsim load enrolled", StringComparison.Ordinal), Timeout, cancellationToken);
            var before = ProcessSample.Of(fleet.Id);
            var ready = await load.WaitForLineAsync(line => line.StartsWith("civicsim ready load", StringComparison.Ordinal), Timeout, cancellationToken);
            await Task.Delay(Settle, cancellationToken);
            var progress = await load.WaitForLineAsync(line => line.StartsWith("civicsim load t=", StringComparison.Ordinal), Timeout, cancellationToken);
            var after = ProcessSample.Of(fleet.Id);
            if (fleet.HasExited)
                throw new InvalidOperationException($"The fleet exited while devices connected:\n{fleet.RecentOutput}");

            const double Megabyte = 1024 * 1024;
            var figures = new BrokerHoldingFigures(
                connections,
                int.Parse(ReadinessLine.Field(progress, "connected"), CultureInfo.InvariantCulture),
                double.Parse(ReadinessLine.Field(ready, "connect_seconds"), CultureInfo.InvariantCulture),
                before.ResidentBytes / Megabyte,
                after.ResidentBytes / Megabyte);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Broker: {figures.Held} of {connections} idle connections held, opened in {figures.ConnectSeconds:F1} s; fleet {figures.BaselineMegabytes:F0} MB -> {figures.ConnectedMegabytes:F0} MB = {figures.KilobytesPerConnection:F1} KB per connection"));
            return figures;
        }
        finally
        {
            for (var i = processes.Count - 1; i >= 0; i--)
                await processes[i].DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
