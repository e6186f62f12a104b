using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// The edge build (Native AOT) of civicedge-gateway as a pole cabinet runs it, against civicsim and the fleet: every
/// path the AOT compiler could have broken at run time is taken once. Its options are bound strictly (by reflection on
/// annotated types), its device arrives through the fleet's twin (source-generated JSON, the hardware profile read
/// with YamlDotNet), readings go through the LiteDB outbox (LiteDB's journal internals, BsonExpression queries run by
/// the expression interpreter) and MQTTnet to the fleet, a door on the simulated GPIO chip raises events, the local API
/// answers through its generated request delegates, and a restart reopens the database and numbers on.
/// </summary>
/// <remarks>
/// <para>The tests run in the order written (each depends on the one before, whatever its outcome): the last restarts
/// the gateway the others look at.</para>
/// <para>Runs only from <c>./build.sh --target=TestEdge</c>, which publishes the edge build first and names it in
/// <c>CIVICEDGE_EDGE_GATEWAY</c>; the AOT compile and link take minutes, too long for every test run.</para>
/// </remarks>
[Category("EndToEnd")]
[Category("Edge")]
[NonParallelizable]
public sealed class EdgeGatewayTests
{
    private const string GatewayId = "gw-edge-01";
    private const string MeterId = "mtr-edge-01";
    private const string PoleId = "pole-edge-01";
    private const string Model = "eastron-sdm630";
    private const double PinnedVoltage = 231.5; // exactly representable in float32, so it must arrive unchanged

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _edgeGateway = string.Empty;
    private string _workDirectory = string.Empty;
    private int _mqttPort;
    private HttpClient _fleet = null!;
    private string _secretFile = null!;
    private HttpClient _localApi = null!;
    private ChildProcess _gateway = null!;
    private DeviceTelemetry _telemetry = null!;

    [OneTimeSetUp]
    public async Task StartTheEdgeGatewayWithAMeterConfiguredByTheFleet()
    {
        _edgeGateway = Environment.GetEnvironmentVariable("CIVICEDGE_EDGE_GATEWAY") ?? string.Empty;
        if (_edgeGateway.Length == 0)
            Assert.Ignore("The edge build is tested by ./build.sh --target=TestEdge, which publishes it first (CIVICEDGE_EDGE_GATEWAY is not set).");
        Assert.That(File.Exists(_edgeGateway), Is.True, $"CIVICEDGE_EDGE_GATEWAY names {_edgeGateway}, which does not exist.");

        _workDirectory = Directory.CreateTempSubdirectory("civicedge-edge-").FullName;
        _mqttPort = FreePort.Next();
        var fleet = Start("fleet", BuiltExecutables.Fleet,
            "--urls", "http://127.0.0.1:0",
            $"--Fleet:Broker:Port={_mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_workDirectory, "fleet.db")}",
            FleetAccess.BootstrapKeySwitch,
            "--Fleet:Ledger:CodeScheme=topic-level");
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        _fleet = FleetAccess.Authorized(new HttpClient { BaseAddress = new Uri(ReadinessLine.Field(fleetReady, "http") + "/"), Timeout = TimeSpan.FromSeconds(10) });
        _secretFile = Path.Combine(_workDirectory, "gateway.secret");
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
        {
            await GatewayEnrolment.EnrolAsync(
                _fleet, GatewayId, [new EnrolledDevice(MeterId, DeviceKind.EnergyMeter, Model), new EnrolledDevice(PoleId, DeviceKind.PoleController, null)],
                _secretFile, "e2e", enrolling.Token);
        }

        var meter = Start("meter", BuiltExecutables.Simulator,
            "modbus", "--profile", Model, "--bind", "127.0.0.1", "--port", "0",
            "--seed", "5", "--set", $"voltage_l1={PinnedVoltage.ToString(CultureInfo.InvariantCulture)}");
        var meterEndpoint = ReadinessLine.Field(await meter.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout), "modbus");

        var localApi = $"http://127.0.0.1:{FreePort.Next()}";
        _localApi = new HttpClient { BaseAddress = new Uri(localApi + "/"), Timeout = TimeSpan.FromSeconds(10) };
        _gateway = await StartGatewayAsync(localApi);

        // The gateway starts without devices; its meter arrives as the fleet's desired configuration.
        using var desired = new StringContent(
            $$"""{ "devices": [ { "id": "{{MeterId}}", "profile": "{{Model}}", "endpoint": "tcp://{{meterEndpoint}}", "unit": 1, "pollInterval": "500ms" } ] }""",
            Encoding.UTF8, "application/json");
        using var put = await _fleet.PutAsync($"api/devices/{GatewayId}/twin/desired", desired);
        Assert.That(put.IsSuccessStatusCode, Is.True, $"PUT twin/desired answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");

        _telemetry = await WaitForTelemetryAsync(minimumEnergySamples: 3);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        _fleet?.Dispose();
        _localApi?.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task The_edge_build_is_a_native_executable_without_the_dotnet_runtime_beside_it()
    {
        var header = new byte[4];
        await using (var file = File.OpenRead(_edgeGateway))
            await file.ReadExactlyAsync(header);

        Assert.That(header, Is.EqualTo("\u007fELF"u8.ToArray()), "an ELF executable");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(_edgeGateway)!, "*.dll"), Is.Empty, "no managed assemblies beside it");
    }

    [Test]
    [DependsOnTest(nameof(The_edge_build_is_a_native_executable_without_the_dotnet_runtime_beside_it), AllowFailure = true)]
    public void Every_point_of_the_meter_reaches_the_fleet_with_its_unit_and_the_pinned_voltage_bit_for_bit()
    {
        var latest = _telemetry.Latest.ToDictionary(v => v.Point, StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            foreach (var point in ProfileUnderTest().Points)
            {
                Assert.That(latest.TryGetValue(point.Name, out var value), Is.True, $"{point.Name} missing from the latest values");
                Assert.That(value?.Unit, Is.EqualTo(point.Unit), point.Name);
                Assert.That(value?.Quality, Is.EqualTo(Quality.Good), point.Name);
            }
            Assert.That(latest["voltage_l1"].Value, Is.EqualTo(PinnedVoltage));
        });
    }

    [Test]
    [DependsOnTest(nameof(Every_point_of_the_meter_reaches_the_fleet_with_its_unit_and_the_pinned_voltage_bit_for_bit), AllowFailure = true)]
    public async Task The_gateway_reports_the_fleet_configuration_applied()
    {
        var twin = await _fleet.GetFromJsonAsync($"api/devices/{GatewayId}/twin", ContractsJson.Default.DeviceTwin);

        Assert.That(twin?.Reported?.Origin, Is.EqualTo(ConfigurationOrigin.Fleet));
        Assert.That(twin?.Reported?.LastDesired?.Status, Is.EqualTo(ConfigurationStatus.Applied), string.Join("; ", twin?.Reported?.LastDesired?.Errors ?? []));
        Assert.That(twin?.Reported?.Devices.Select(d => d.Id), Is.EqualTo(new[] { MeterId }));
    }

    [Test]
    [DependsOnTest(nameof(The_gateway_reports_the_fleet_configuration_applied), AllowFailure = true)]
    public async Task A_door_on_the_simulated_gpio_chip_raises_and_clears_its_alarm_at_the_fleet()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        IReadOnlyList<EventEntry> events = [];
        while (DateTime.UtcNow < deadline)
        {
            events = await _fleet.GetFromJsonAsync($"api/devices/{PoleId}/events", ContractsJson.Default.IReadOnlyListEventEntry) ?? [];
            if (events.Any(e => e is { Code: "door_open", State: EventState.Raised }) && events.Any(e => e is { Code: "door_open", State: EventState.Cleared }))
                return;
            await Task.Delay(500);
        }

        Assert.Fail($"No door_open raised and cleared at the fleet within {ReadyTimeout.TotalSeconds:0} s; events: " +
                    string.Join(", ", events.Select(e => $"{e.Code} {e.State}")) + Environment.NewLine + _gateway.RecentOutput);
    }

    [Test]
    [DependsOnTest(nameof(A_door_on_the_simulated_gpio_chip_raises_and_clears_its_alarm_at_the_fleet), AllowFailure = true)]
    public async Task The_local_api_answers_the_health_report_and_the_metrics()
    {
        var report = await _localApi.GetFromJsonAsync("status", ContractsJson.Default.HealthReport);
        var metrics = await _localApi.GetStringAsync("metrics");

        Assert.That(report?.Devices.Single().DeviceId, Is.EqualTo(MeterId));
        Assert.That(report?.Devices.Single().Polls, Is.GreaterThan(0));
        Assert.That(report?.Outbox.Single(o => o.Stream == Streams.Telemetry).Delivered, Is.GreaterThan(0), "acknowledged records are deleted from the outbox");
        Assert.That(metrics, Does.Contain($"civicedge_device_polls_total{{bus=\"tcp://").And.Contain("dotnet_process_memory_working_set_bytes"));
    }

    [Test]
    [DependsOnTest(nameof(The_local_api_answers_the_health_report_and_the_metrics), AllowFailure = true)]
    public async Task A_bad_key_stops_the_edge_gateway_at_start_up_naming_it()
    {
        var gateway = Start("bad-gateway", _edgeGateway,
            $"--Gateway:Id={GatewayId}-bad",
            $"--Gateway:DataPath={Path.Combine(_workDirectory, "bad.db")}",
            "--Gateway:Http:Enabled=false",
            "--Uplink:MaxInFlight=four",
            "--Gpio:Doors:0:Pin=four");

        Assert.That(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(2), gateway.RecentOutput);
        Assert.That(gateway.RecentOutput, Does.Contain("Uplink:MaxInFlight is 'four'; expected a whole number.")
            .And.Contain("Gpio:Doors:0:Pin is 'four'; expected a whole number."));
    }

    [Test]
    [DependsOnTest(nameof(A_bad_key_stops_the_edge_gateway_at_start_up_naming_it), AllowFailure = true)]
    public async Task After_a_restart_on_the_same_database_the_gateway_numbers_on_where_it_stopped()
    {
        var before = await LastSequenceAsync(Streams.Telemetry);

        await _gateway.StopAsync(TimeSpan.FromSeconds(20));
        Assert.That(_gateway.ExitCode, Is.Zero, _gateway.RecentOutput);
        _gateway = await StartGatewayAsync(_localApi.BaseAddress!.AbsoluteUri.TrimEnd('/'));

        // The fleet's configuration was kept in the gateway database, so the meter is polled again without the network's help.
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var after = 0L;
        while (DateTime.UtcNow < deadline && (after = await LastSequenceAsync(Streams.Telemetry)) <= before)
            await Task.Delay(500);
        Assert.That(after, Is.GreaterThan(before), _gateway.RecentOutput);
    }

    private async Task<ChildProcess> StartGatewayAsync(string localApi)
    {
        var gateway = Start("edge-gateway", _edgeGateway,
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={Path.Combine(_workDirectory, "gateway.db")}",
            $"--Gateway:Http:Url={localApi}",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={_mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={_secretFile}",
            "--Gpio:Driver=simulated",
            "--Gpio:Doors:0:Name=cabinet_door",
            $"--Gpio:Doors:0:DeviceId={PoleId}",
            "--Gpio:Doors:0:Pin=4",
            "--Gpio:Doors:0:Debounce=20ms",
            "--Gpio:Simulation:0:Pin=4",
            "--Gpio:Simulation:0:Every=2s",
            "--Gpio:Simulation:0:Hold=1s",
            "--Gpio:Simulation:0:ActiveLow=false");
        await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);
        return gateway;
    }

    private async Task<long> LastSequenceAsync(string stream)
    {
        var report = await _localApi.GetFromJsonAsync("status", ContractsJson.Default.HealthReport);
        return report!.Outbox.Single(o => o.Stream == stream).LastSeq;
    }

    private async Task<DeviceTelemetry> WaitForTelemetryAsync(int minimumEnergySamples)
    {
        var points = ProfileUnderTest().Points.Select(p => p.Name).ToList();
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            using var response = await _fleet.GetAsync($"api/devices/{MeterId}/telemetry");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
                var samples = telemetry!.Series.ToDictionary(s => s.Point, s => s.Samples.Count, StringComparer.Ordinal);
                if (points.All(samples.ContainsKey) && samples["import_active_energy"] >= minimumEnergySamples)
                    return telemetry;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Every point and {minimumEnergySamples} energy readings of {MeterId} did not reach the fleet within {ReadyTimeout.TotalSeconds:0} s " +
                            $"(last answer {(int)response.StatusCode}).{Environment.NewLine}{string.Join(Environment.NewLine, _processes.Select(p => $"--- {p.Name}:{Environment.NewLine}{p.RecentOutput}"))}");
            }
            await Task.Delay(500);
        }
    }

    private ChildProcess Start(string name, string executable, params string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, workingDirectory: _workDirectory);
        _processes.Add(process);
        return process;
    }

    private static CivicEdge.Hardware.DeviceProfile ProfileUnderTest() =>
        CivicEdge.Hardware.ProfileLoader.LoadDirectory(Path.Combine(BuiltExecutables.RepositoryRoot.FullName, "hardware", "profiles"))
            .Get(Model);
}
