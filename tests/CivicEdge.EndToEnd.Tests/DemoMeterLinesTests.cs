using System.Globalization;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Simulators.Demo;
using CivicEdge.Simulators.Processes;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// The demo's meter-protocol room as the demo starts it: its three civicsim converters and the gateway configuration
/// the demo writes. The gateway accepts the configuration and reads all three meters (the demo's fleet and Modbus
/// devices are left out: their absence is the gateway's to report, not this test's).
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class DemoMeterLinesTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task The_demo_gateway_configuration_reads_the_three_meter_lines_the_demo_starts()
    {
        var work = Directory.CreateTempSubdirectory("civicedge-demo-meters-");
        var processes = new List<ChildProcess>();
        try
        {
            var options = new DemoOptions
            {
                PublishDirectory = work.FullName,
                DataDirectory = work.FullName,
                MeterLinesPort = FreePort.Next(),
                GatewayHttpPort = FreePort.Next(),
                MqttPort = FreePort.Next(),
            };
            for (var i = 0; i < DemoStreet.MeterLines.Count; i++)
            {
                var (_, protocol, address, _) = DemoStreet.MeterLines[i];
                var line = ChildProcess.Start(protocol, BuiltExecutables.Simulator,
                    [protocol, "--bind", options.Host, "--port", (options.MeterLinesPort + i).ToString(CultureInfo.InvariantCulture), "--meter", address]);
                processes.Add(line);
                // Three consecutive ports: the next one may have been free when FreePort looked, and taken since.
                await line.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), ReadyTimeout);
            }
            await File.WriteAllTextAsync(DemoEnrolment.SecretFile(options), "not-enrolled");
            // The demo's relay of pole firmware checks for the release key at start-up.
            Directory.CreateDirectory(Path.GetDirectoryName(DemoRollout.PublicKeyPath(options))!);
            using (var release = OtaSigningKey.Generate())
                await File.WriteAllTextAsync(DemoRollout.PublicKeyPath(options), release.PublicKey.Pem);
            DemoGatewayConfiguration.Write(options);

            var gateway = ChildProcess.Start("gateway", BuiltExecutables.Gateway, ["--config", options.GatewayConfigPath], workingDirectory: work.FullName);
            processes.Add(gateway);
            await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
            using var localApi = new HttpClient { BaseAddress = new Uri(options.GatewayUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };

            var meters = DemoStreet.MeterLines.Select(m => m.Id).ToList();
            var deadline = DateTime.UtcNow + ReadyTimeout;
            IReadOnlyList<DeviceHealth> health;
            do
            {
                await Task.Delay(500);
                var report = await localApi.GetFromJsonAsync("status", ContractsJson.Default.HealthReport);
                health = [.. report!.Devices.Where(d => meters.Contains(d.DeviceId))];
            }
            while (!(health.Count == meters.Count && health.All(d => d.Responses > 0)) && DateTime.UtcNow < deadline);

            Assert.That(health.Select(d => (d.DeviceId, d.Bus, d.Responses > 0)), Is.EquivalentTo(DemoStreet.MeterLines.Select(m => (m.Id, $"{m.Protocol}-line", true))),
                string.Join(Environment.NewLine, processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}")));
        }
        finally
        {
            foreach (var process in processes)
                await process.DisposeAsync();
            work.Delete(recursive: true);
        }
    }
}
