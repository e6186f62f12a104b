using System.Globalization;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// The gateway killed with SIGKILL again and again, as a power cut or the OOM killer would, first while it only acquires
/// (the uplink is unreachable) and then while it also uploads its backlog: after the restarts every reading it
/// accepted (numbered in its outbox) is at the fleet exactly once or still waiting in the outbox, and nothing is
/// missing. Real processes: civicsim, civicedge-gateway, civicedge-fleet.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class GatewayCrashTests
{
    private const string GatewayId = "gw-crash-01";
    private const string MeterId = "mtr-crash-01";
    private const string Model = "eastron-sdm630";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;

    /// <summary>The gateway's MQTT password, issued when it is enrolled with the fleet.</summary>
    private string SecretFile => Path.Combine(_workDirectory, "gateway.secret");

    [SetUp]
    public void CreateWorkDirectory() => _workDirectory = Directory.CreateTempSubdirectory("civicedge-crash-").FullName;

    [TearDown]
    public async Task StopEverything()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task Killed_again_and_again_while_acquiring_and_uploading_the_gateway_delivers_every_accepted_reading_exactly_once()
    {
        var random = new Random(20261122);
        var mqttPort = FreePort.Next();
        var unreachable = FreePort.Next();
        var fleetDatabase = Path.Combine(_workDirectory, "fleet.db");
        var gatewayDatabase = Path.Combine(_workDirectory, "gateway.db");
        var fleet = Start("fleet", BuiltExecutables.Fleet, "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={fleetDatabase}",
            "--Fleet:Ledger:CodeScheme=topic-level", FleetAccess.BootstrapKeySwitch);
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        using (var http = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(fleetReady, "http") + "/"), Timeout = TimeSpan.FromSeconds(10) }))
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(http, GatewayId, [new EnrolledDevice(MeterId, DeviceKind.EnergyMeter, Model)], SecretFile, "e2e", enrolling.Token);
        var meter = Start("meter", BuiltExecutables.Simulator, "modbus", "--profile", Model, "--bind", "127.0.0.1", "--port", "0", "--seed", "11",
            "--update-interval", "20ms"); // values move between polls, so report by exception sends a reading nearly every poll
        var meterEndpoint = ReadinessLine.Field(await meter.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout), "modbus");

        var kills = 0;
        foreach (var port in new[] { unreachable, unreachable, unreachable, mqttPort, mqttPort, mqttPort, mqttPort, mqttPort })
        {
            var gateway = StartGateway(gatewayDatabase, meterEndpoint, port);
            await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1500)));
            await gateway.KillAsync();
            kills++;
        }

        // The meter goes away so that the last run only delivers; then the gateway stops cleanly, and so does the fleet.
        await meter.StopAsync(TimeSpan.FromSeconds(10));
        var last = StartGateway(gatewayDatabase, meterEndpoint, mqttPort);
        await last.WaitForLineAsync(l => l.Contains("Delivering stream telemetry: 0 records waiting", StringComparison.Ordinal)
            || l.Contains("Fleet persisted", StringComparison.Ordinal), ReadyTimeout);
        await WaitForQuietAsync(last);
        await last.StopAsync(TimeSpan.FromSeconds(20));
        await fleet.StopAsync(TimeSpan.FromSeconds(20));

        var stored = StoredSequence.Read(fleetDatabase, gatewayDatabase, MeterId);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kills} kills; gateway numbered {stored.Outbox.LastSeq} readings; fleet stored {stored.FleetSeqs.Count}; {stored.Waiting.Count} still waiting; {stored.Outbox.Dropped} dropped"));
        Assert.Multiple(() =>
        {
            Assert.That(stored.Outbox.LastSeq, Is.GreaterThan(50), "the gateway acquired across the restarts");
            Assert.That(stored.FleetSeqs, Has.Count.GreaterThan(50), "and delivered");
            Assert.That(stored.Duplicates, Is.Empty, "no reading is stored twice");
            Assert.That(stored.Missing, Is.Empty, "no accepted reading is lost");
            Assert.That(stored.Outbox.Dropped, Is.Zero);
            Assert.That(stored.FleetSeqs, Is.All.InRange(1L, stored.Outbox.LastSeq));
            Assert.That(stored.FleetTimes, Is.Ordered, "in sequence order the readings follow the meter's clock");
        });
    }

    private ChildProcess StartGateway(string database, string meterEndpoint, int uplinkPort) => Start("gateway", BuiltExecutables.Gateway,
        $"--Gateway:Id={GatewayId}",
        $"--Gateway:DataPath={database}",
        "--Gateway:Http:Url=http://127.0.0.1:0",
        "--Uplink:Host=127.0.0.1",
        $"--Uplink:Port={uplinkPort}",
        $"--Uplink:Username={GatewayId}",
        $"--Uplink:PasswordFile={SecretFile}",
        "--Uplink:BatchSize=50",
        "--Uplink:AckTimeout=2s",
        "--Uplink:ReconnectDelay=100ms",
        "--Uplink:MaxReconnectDelay=500ms",
        $"--Devices:0:Id={MeterId}",
        $"--Devices:0:Profile={Model}",
        $"--Devices:0:Endpoint=tcp://{meterEndpoint}",
        "--Devices:0:Unit=1",
        "--Devices:0:PollInterval=20ms",
        "--Logging:LogLevel:CivicEdge.Gateway.Uplink.OutboxDelivery=Debug");

    /// <summary>Waits until the gateway has sent and had acknowledged nothing for a while: the fleet has everything it could send.</summary>
    private static async Task WaitForQuietAsync(ChildProcess gateway)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var lastDelivery = LastDelivery(gateway);
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(3))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The gateway kept delivering for {ReadyTimeout.TotalSeconds:0} s:{Environment.NewLine}{gateway.RecentOutput}");
            await Task.Delay(250);
            var delivery = LastDelivery(gateway);
            if (delivery != lastDelivery)
            {
                lastDelivery = delivery;
                quietSince = DateTime.UtcNow;
            }
        }
    }

    /// <summary>The last line (with its timestamp) about a batch sent or persisted.</summary>
    private static string? LastDelivery(ChildProcess gateway) =>
        gateway.RecentOutput.Split('\n').LastOrDefault(line => line.Contains("Sent telemetry", StringComparison.Ordinal) || line.Contains("Fleet persisted", StringComparison.Ordinal));

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }
}
