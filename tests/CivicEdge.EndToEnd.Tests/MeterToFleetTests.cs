using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using CivicEdge.Simulators.Provisioning;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// The walking skeleton as a user runs it: civicsim serves a Modbus TCP energy meter, civicedge-gateway polls it and
/// delivers over MQTT 5, civicedge-fleet persists and serves the readings, and civic shows them — four real processes on
/// OS-chosen loopback ports, and an independent MQTT client (mosquitto_sub) reading the wire.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class MeterToFleetTests
{
    private const string GatewayId = "gw-e2e-01";
    private const string MeterId = "mtr-e2e-01";
    private const string Model = "eastron-sdm630";
    private const double PinnedVoltage = 231.5; // exactly representable in float32, so it must arrive unchanged

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ChildProcess> _processes = [];
    private string _workDirectory = string.Empty;
    private Uri _fleetUrl = null!;
    private HttpClient _http = null!;
    private ChildProcess _sniffer = null!;
    private DeviceTelemetry _telemetry = null!;

    [OneTimeSetUp]
    public async Task StartTheSkeleton()
    {
        _workDirectory = Directory.CreateTempSubdirectory("civicedge-e2e-").FullName;
        var mqttPort = FreePort.Next();

        var fleet = Start("fleet", BuiltExecutables.Fleet,
            "--urls", "http://127.0.0.1:0",
            $"--Fleet:Broker:Port={mqttPort}",
            $"--Fleet:Storage:Path={Path.Combine(_workDirectory, "fleet.db")}",
            FleetAccess.BootstrapKeySwitch,
            "--Fleet:Ledger:CodeScheme=topic-level");
        var fleetReady = await fleet.WaitForLineAsync(l => l.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout);
        _fleetUrl = new Uri(ReadinessLine.Field(fleetReady, "http") + "/");
        _http = FleetAccess.Authorized(new HttpClient { BaseAddress = _fleetUrl, Timeout = TimeSpan.FromSeconds(10) });

        // The broker admits only devices of the ledger: the gateway is enrolled first, as an operator would.
        var secretFile = Path.Combine(_workDirectory, "gateway.secret");
        using (var enrolling = new CancellationTokenSource(ReadyTimeout))
            await GatewayEnrolment.EnrolAsync(_http, GatewayId, [new EnrolledDevice(MeterId, DeviceKind.EnergyMeter, Model)], secretFile, "e2e", enrolling.Token);
        var secret = (await File.ReadAllLinesAsync(secretFile))[0];

        // Subscribed before the gateway starts, so it sees the first batch.
        _sniffer = Start("mosquitto_sub", OnPath("mosquitto_sub"),
            "-h", "127.0.0.1", "-p", mqttPort.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5",
            "-t", Topics.Telemetry(GatewayId), "-i", $"{GatewayId}/sniffer", "-u", GatewayId, "-P", secret);

        var meter = Start("meter", BuiltExecutables.Simulator,
            "modbus", "--profile", Model, "--bind", "127.0.0.1", "--port", "0",
            "--seed", "7", "--set", $"voltage_l1={PinnedVoltage.ToString(CultureInfo.InvariantCulture)}");
        var meterReady = await meter.WaitForLineAsync(l => l.Contains("civicsim ready", StringComparison.Ordinal), ReadyTimeout);

        var gateway = Start("gateway", BuiltExecutables.Gateway,
            $"--Gateway:Id={GatewayId}",
            $"--Gateway:DataPath={Path.Combine(_workDirectory, "gateway.db")}",
            "--Gateway:Http:Url=http://127.0.0.1:0",
            "--Uplink:Host=127.0.0.1",
            $"--Uplink:Port={mqttPort}",
            $"--Uplink:Username={GatewayId}",
            $"--Uplink:PasswordFile={secretFile}",
            $"--Devices:0:Id={MeterId}",
            $"--Devices:0:Profile={Model}",
            $"--Devices:0:Endpoint=tcp://{ReadinessLine.Field(meterReady, "modbus")}",
            "--Devices:0:Unit=1",
            "--Devices:0:PollInterval=1s");
        await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), ReadyTimeout);

        _telemetry = await WaitForTelemetryAsync(minimumEnergySamples: 3);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        _http?.Dispose();
        if (_sniffer is not null)
            await _sniffer.DisposeAsync();
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        if (Directory.Exists(_workDirectory))
            Directory.Delete(_workDirectory, recursive: true);
    }

    [Test]
    public async Task The_meter_appears_in_the_device_list_with_its_model_and_gateway()
    {
        var devices = await _http.GetFromJsonAsync("api/devices", LedgerJson.Default.IReadOnlyListDeviceListItem);

        var meter = devices!.SingleOrDefault(d => d.Id == MeterId);
        Assert.That(meter, Is.Not.Null, $"{MeterId} is not in GET /api/devices");
        Assert.That(meter!.Model, Is.EqualTo(Model));
        Assert.That(meter.Gateway, Is.EqualTo(GatewayId));
        Assert.That(meter.Readings, Is.GreaterThanOrEqualTo(3));
        Assert.That((meter.Registered, meter.Kind), Is.EqualTo((true, (DeviceKind?)DeviceKind.EnergyMeter)));
    }

    [Test]
    public void Every_profile_point_arrives_with_the_unit_the_profile_gives()
    {
        var profile = ProfileUnderTest();

        var latest = _telemetry.Latest.ToDictionary(v => v.Point, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            foreach (var point in profile.Points)
            {
                Assert.That(latest.ContainsKey(point.Name), Is.True, $"{point.Name} missing from the latest values");
                if (latest.TryGetValue(point.Name, out var value))
                {
                    Assert.That(value.Unit, Is.EqualTo(point.Unit), point.Name);
                    Assert.That(value.Quality, Is.EqualTo(Quality.Good), point.Name);
                }
            }
        });
    }

    [Test]
    public void Values_are_those_of_a_three_phase_meter()
    {
        var latest = _telemetry.Latest.ToDictionary(v => v.Point, v => v.Value, StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(latest["voltage_l1"], Is.EqualTo(PinnedVoltage), "the pinned voltage must arrive bit for bit");
            Assert.That(latest["voltage_l2"], Is.InRange(220.0, 240.0));
            Assert.That(latest["voltage_l3"], Is.InRange(220.0, 240.0));
            Assert.That(latest["frequency"], Is.InRange(49.5, 50.5));
            Assert.That(latest["current_l1"], Is.GreaterThanOrEqualTo(0.0));
            Assert.That(latest["import_active_energy"], Is.GreaterThan(0.0));
        });
    }

    [Test]
    public void Energy_only_grows_and_currents_move_over_the_series()
    {
        var series = _telemetry.Series.ToDictionary(s => s.Point, StringComparer.Ordinal);

        var energy = series["import_active_energy"].Samples.Select(s => s.Value).ToList();
        var current = series["current_l1"].Samples.Select(s => s.Value).ToList();
        Assert.That(energy, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That(energy, Is.Ordered.Ascending, "import energy must never decrease");
        Assert.That(current.Distinct().Count(), Is.GreaterThan(1), "a live meter's current varies between polls");
    }

    [Test]
    public async Task An_unknown_device_is_a_404_problem()
    {
        using var response = await _http.GetAsync("api/devices/no-such-device/telemetry");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task An_independent_mqtt_client_reads_the_documented_batch_format_on_the_wire()
    {
        // The first poll gives a billing batch (the energy registers, sent first) and a telemetry batch, one message each;
        // on a loaded machine a batch whose acknowledgement came late is sent again, so read until both streams are seen.
        var batches = await SniffedBatchesAsync(TimeSpan.FromSeconds(90));
        Assert.That(batches.Select(b => b.RootElement.GetProperty("stream").GetString()).Distinct(), Is.EquivalentTo(new[] { Streams.Billing, Streams.Telemetry }));
        Assert.That(batches.Select(b => b.RootElement.GetProperty("source").GetString()), Is.All.EqualTo(GatewayId));
        var billing = batches.First(b => b.RootElement.GetProperty("stream").GetString() == Streams.Billing).RootElement;
        Assert.That(billing.GetProperty("records")[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("unit").GetString()), Is.All.EqualTo("kWh"));
        var root = batches.First(b => b.RootElement.GetProperty("stream").GetString() == Streams.Telemetry).RootElement;
        var record = root.GetProperty("records")[0];
        Assert.That(record.GetProperty("seq").GetInt64(), Is.GreaterThanOrEqualTo(1));
        Assert.That(record.GetProperty("deviceId").GetString(), Is.EqualTo(MeterId));
        var voltage = record.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "voltage_l1");
        Assert.That(voltage.GetProperty("value").GetDouble(), Is.EqualTo(PinnedVoltage));
        Assert.That(voltage.GetProperty("unit").GetString(), Is.EqualTo("V"));
    }

    private async Task<List<JsonDocument>> SniffedBatchesAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Only whole lines: mosquitto_sub may be half-way through writing the last one.
            var output = _sniffer.StandardOutput;
            var batches = output[..(output.LastIndexOf('\n') + 1)]
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line)).ToList();
            var streams = batches.Select(b => b.RootElement.GetProperty("stream").GetString()).Distinct().Count();
            if (streams >= 2 || DateTime.UtcNow > deadline)
                return batches;
            await Task.Delay(200);
        }
    }

    [Test]
    public async Task The_civic_cli_shows_the_same_devices_and_readings()
    {
        var list = Start("civic", BuiltExecutables.Cli, "devices", "list", "--json", "--fleet", _fleetUrl.AbsoluteUri, "--api-key", FleetAccess.AdminKey);
        Assert.That(await list.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, list.RecentOutput);
        using var devices = JsonDocument.Parse(list.StandardOutput);
        Assert.That(devices.RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetString()), Does.Contain(MeterId));

        var telemetry = Start("civic", BuiltExecutables.Cli, "telemetry", MeterId, "--fleet", _fleetUrl.AbsoluteUri, "--api-key", FleetAccess.AdminKey);
        Assert.That(await telemetry.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, telemetry.RecentOutput);
        Assert.That(telemetry.StandardOutput, Does.Contain("voltage_l1").And.Contain("231.5").And.Contain("kWh"));
    }

    [Test]
    public async Task The_civic_cli_without_a_key_is_refused_and_the_refusal_is_in_the_audit_log_it_reads_with_one()
    {
        var home = new Dictionary<string, string> { ["HOME"] = _workDirectory, ["CIVIC_API_KEY"] = "" };
        var refused = StartCivic(home, "devices", "list", "--fleet", _fleetUrl.AbsoluteUri);
        Assert.That(await refused.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(3), refused.RecentOutput);
        Assert.That(refused.StandardOutput, Does.Contain("401").And.Contain("--api-key"));

        var withKey = new Dictionary<string, string> { ["HOME"] = _workDirectory, ["CIVIC_API_KEY"] = FleetAccess.AdminKey };
        var audit = StartCivic(withKey, "audit", "--action", "access.denied", "--json", "--fleet", _fleetUrl.AbsoluteUri);
        Assert.That(await audit.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, audit.RecentOutput);
        using var entries = JsonDocument.Parse(audit.StandardOutput);
        var denial = entries.RootElement.EnumerateArray().Last();
        Assert.That(denial.GetProperty("actor").GetString(), Is.EqualTo("anonymous"));
        Assert.That(denial.GetProperty("target").GetString(), Is.EqualTo("/api/devices"));
        Assert.That(denial.GetProperty("sourceIp").GetString(), Is.EqualTo("127.0.0.1"));
    }

    /// <summary>
    /// Waits until every point of the profile has reached the fleet and the import energy, which grows with every
    /// poll, has <paramref name="minimumEnergySamples"/> samples. The gateway reports by exception, so a point that
    /// does not move (a pinned voltage, the export register of a consumer) is sent once and then only at its
    /// maximum silence; a current is sent again only once it has moved past its deadband, which on a loaded machine can
    /// take more polls than the energy's samples, so the wait is also for a second current sample.
    /// </summary>
    private async Task<DeviceTelemetry> WaitForTelemetryAsync(int minimumEnergySamples)
    {
        var points = ProfileUnderTest().Points.Select(p => p.Name).ToList();
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var path = $"api/devices/{MeterId}/telemetry";
        while (true)
        {
            using var response = await _http.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var telemetry = await response.Content.ReadFromJsonAsync(ContractsJson.Default.DeviceTelemetry);
                var samples = telemetry!.Series.ToDictionary(s => s.Point, s => s.Samples.Count, StringComparer.Ordinal);
                if (points.All(samples.ContainsKey) && samples["import_active_energy"] >= minimumEnergySamples && samples["current_l1"] >= 2)
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

    private ChildProcess StartCivic(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var process = ChildProcess.Start("civic", BuiltExecutables.Cli, arguments, workingDirectory: _workDirectory, environment: environment);
        _processes.Add(process);
        return process;
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

    private static string OnPath(string program)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        return found ?? throw new FileNotFoundException(
            $"{program} is not installed; it is the independent MQTT client these tests check the wire format with. " +
            "./build.sh --target=Test installs it (Debian package mosquitto-clients).");
    }
}
