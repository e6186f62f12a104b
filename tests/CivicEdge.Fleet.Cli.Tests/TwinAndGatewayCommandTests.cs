using System.Net;
using System.Text.Json;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests;

[Category("Unit")]
public sealed class TwinAndGatewayCommandTests
{
    private const string Twin = """
        {"deviceId":"gw-01","desired":{"version":3,"updatedAt":"2026-11-22T10:00:00+00:00","configuration":{"buses":[],"devices":[{"id":"mtr-1"}],"profiles":[]}},
         "reported":{"sourceId":"gw-01","softwareVersion":"0.1.0","timestamp":"2026-11-22T10:00:05+00:00","origin":"fleet","appliedVersion":2,
           "lastDesired":{"version":3,"status":"refused","errors":["Devices:0:Profile is missing; expected a hardware profile model."],"at":"2026-11-22T10:00:05+00:00"},
           "lastLocal":null,
           "devices":[{"id":"mtr-0","model":"eastron-sdm630","bus":"rs485-1","unit":4,"pollIntervalSeconds":5}]},
         "reportedAt":"2026-11-22T10:00:05+00:00"}
        """;

    private const string Status = """
        {"sourceId":"gw-01","softwareVersion":"0.1.0","timestamp":"2026-11-22T10:00:00+00:00","uptimeSeconds":3725,"origin":"local","appliedVersion":null,
         "process":{"cpuPercent":4.2,"cpuSeconds":12,"workingSetBytes":52428800,"gcHeapBytes":8388608},
         "disk":{"path":"/var/lib/civicedge/gateway.db","freeBytes":1073741824,"totalBytes":8589934592},
         "outbox":[{"stream":"telemetry","depth":12,"oldestAgeSeconds":65,"lastSeq":1200,"delivered":1188,"quarantined":0}],
         "uplink":{"connected":false,"since":"2026-11-22T09:59:00+00:00","lastError":"connection refused","lastErrorAt":"2026-11-22T09:59:58+00:00","failedAttempts":4},
         "devices":[{"deviceId":"mtr-1","bus":"rs485-1","verdict":"ok","reasons":[],"polls":740,"requests":1480,"responses":1480,"timeouts":0,"crcErrors":0,"exceptions":0,"transportErrors":0,"unansweredPolls":0,"latencyAverageMs":18.25,"latencyMaxMs":42.5,"lastAnswer":"2026-11-22T09:59:59+00:00","nextPoll":"2026-11-22T10:00:04+00:00"},
                    {"deviceId":"env-2","bus":"rs485-1","verdict":"failed","reasons":["not answering: 5 polls in a row without an answer (it has never answered)"],"polls":5,"requests":5,"responses":0,"timeouts":5,"crcErrors":0,"exceptions":0,"transportErrors":0,"unansweredPolls":5,"latencyAverageMs":null,"latencyMaxMs":null,"lastAnswer":null,"nextPoll":"2026-11-22T10:00:30+00:00"}]}
        """;

    private TempDirectory? _directory;

    [TearDown]
    public void TearDown()
    {
        _directory?.Dispose();
        _directory = null;
    }

    [Test]
    public async Task Twin_get_shows_what_runs_and_why_the_latest_desired_version_was_refused()
    {
        var (exit, output, fleet) = await RunAsync(new StubFleet().Answer("/api/devices/gw-01/twin", Twin), "twin", "get", "gw-01");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("desired   version 3").And.Contain("running the fleet's configuration, version 2"));
        Assert.That(output, Does.Contain("refused").And.Contain("Devices:0:Profile is missing"));
        Assert.That(output, Does.Contain("mtr-0").And.Contain("rs485-1"));
        Assert.That(fleet.Requests.Single().AbsoluteUri, Is.EqualTo("http://127.0.0.1:5080/api/devices/gw-01/twin"));
    }

    [Test]
    public async Task Twin_set_sends_the_file_as_it_is_and_prints_the_new_version()
    {
        _directory = new TempDirectory();
        const string desired = """{"devices":[{"id":"mtr-1","profile":"eastron-sdm630","endpoint":"tcp://10.0.0.5:502"}]}""";
        var file = _directory.Write("desired.json", desired);
        var fleet = new StubFleet().Answer("/api/devices/gw-01/twin/desired", """{"version":4,"updatedAt":"2026-11-22T10:00:00+00:00","configuration":{"buses":[],"devices":[],"profiles":[]}}""");

        var (exit, output, _) = await RunAsync(fleet, "twin", "set", "gw-01", "--file", file);

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("Desired version 4 of gw-01"));
        Assert.That(fleet.Sent.Single(), Is.EqualTo((HttpMethod.Put, (string?)desired)));
    }

    [Test]
    public async Task Twin_set_with_a_file_that_cannot_be_read_asks_nothing_of_the_fleet()
    {
        var fleet = new StubFleet();

        var (exit, output, _) = await RunAsync(fleet, "twin", "set", "gw-01", "--file", "/no/such/desired.json");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.UsageExitCode));
        Assert.That(output, Does.Contain("--file: cannot read /no/such/desired.json"));
        Assert.That(fleet.Requests, Is.Empty);
    }

    [Test]
    public async Task Twin_set_refused_by_the_fleet_shows_every_problem()
    {
        _directory = new TempDirectory();
        var file = _directory.Write("desired.json", """{"devices":[{}]}""");
        var fleet = new StubFleet().Answer(
            "/api/devices/gw-01/twin/desired",
            """{"title":"Invalid desired configuration","status":400,"detail":"devices[0].id: expected the device's unified device code, found none"}""",
            HttpStatusCode.BadRequest);

        var (exit, output, _) = await RunAsync(fleet, "twin", "set", "gw-01", "--file", file);

        Assert.That(exit, Is.EqualTo(CivicCommandLine.FleetErrorExitCode));
        Assert.That(output, Does.Contain("400").And.Contain("devices[0].id: expected the device's unified device code"));
    }

    [Test]
    public async Task Gateway_status_shows_the_uplink_the_outbox_and_a_verdict_with_reasons_per_device()
    {
        var gateway = new StubFleet().Answer("/status", Status);

        var (exit, output, _) = await RunAsync(gateway, "gateway", "status", "--gateway", "http://10.1.2.3:5081");

        Assert.That(exit, Is.Zero);
        Assert.That(gateway.Requests.Single().AbsoluteUri, Is.EqualTo("http://10.1.2.3:5081/status"));
        Assert.That(output, Does.Contain("up 1 h 2 min").And.Contain("not connected").And.Contain("connection refused"));
        Assert.That(output, Does.Contain("telemetry: 12 waiting, oldest 1 min 5 s old; 1188 delivered"));
        Assert.That(output, Does.Contain("mtr-1").And.Contain("ok").And.Contain("18.3/42.5 ms"));
        Assert.That(output, Does.Contain("env-2").And.Contain("failed").And.Contain("it has never answered"));
    }

    [Test]
    public async Task Gateway_status_json_is_the_report_as_the_gateway_sent_it()
    {
        var (exit, output, _) = await RunAsync(new StubFleet().Answer("/status", Status), "gateway", "status", "--json");

        Assert.That(exit, Is.Zero);
        using var document = JsonDocument.Parse(output);
        Assert.That(document.RootElement.GetProperty("devices")[1].GetProperty("verdict").GetString(), Is.EqualTo("failed"));
    }

    [Test]
    public async Task An_unreachable_gateway_says_where_it_looked_and_how_to_point_elsewhere()
    {
        var (exit, output, _) = await RunAsync(new StubFleet { Unreachable = true }, "gateway", "status");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.FleetErrorExitCode));
        Assert.That(output, Does.Contain("Cannot reach the gateway at http://127.0.0.1:5081/").And.Contain("--gateway"));
    }

    private static async Task<(int Exit, string Output, StubFleet Fleet)> RunAsync(StubFleet fleet, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress });
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, console.Output, fleet);
    }

    private sealed class TempDirectory : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("civic-cli-tests-").FullName;

        public string Write(string name, string text)
        {
            var file = Path.Combine(_path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}
