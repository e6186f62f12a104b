using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>The executable as an operator or a script meets it: help, bad settings, and the ready line.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class FleetProcessTests
{
    private string _directory = string.Empty;
    private CancellationTokenSource _timeout = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("civicedge-fleet-process-").FullName;
        _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    }

    [TearDown]
    public void DeleteDirectory()
    {
        _timeout.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Help_prints_the_usage_and_exits_0_without_starting_anything()
    {
        await using var fleet = FleetProcess.Start(_directory, "--help");

        var output = await fleet.AllOutputAsync(_timeout.Token);

        Assert.That(await fleet.ExitCodeAsync(_timeout.Token), Is.Zero);
        Assert.That(output, Does.StartWith("civicedge-fleet").And.Contain("Fleet:Broker:Port"));
        Assert.That(Directory.EnumerateFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    public async Task An_invalid_setting_stops_the_start_naming_the_key_and_opens_nothing()
    {
        await using var fleet = FleetProcess.Start(_directory, "--mqtt-port", "70000", "--Fleet:Http:Url=localhost:5080");

        var exitCode = await fleet.ExitCodeAsync(_timeout.Token);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(fleet.StandardError, Does.Contain("Fleet:Broker:Port: expected a TCP port from 1 to 65535, found 70000"));
        Assert.That(fleet.StandardError, Does.Contain("Fleet:Http:Url: expected an absolute http:// or https:// URL"));
        Assert.That(Directory.EnumerateFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    public async Task An_invalid_ledger_or_security_setting_stops_the_start_naming_the_key_and_creates_no_ca()
    {
        await using var fleet = FleetProcess.Start(
            _directory, "--db", Path.Combine(_directory, "fleet.db"), "--Fleet:Ledger:CodeScheme=national", "--Fleet:Security:HashIterations=1");

        var exitCode = await fleet.ExitCodeAsync(_timeout.Token);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(fleet.StandardError, Does.Contain("Fleet:Ledger:CodeScheme: expected one of province, pattern, topic-level, found 'national'"));
        Assert.That(fleet.StandardError, Does.Contain("Fleet:Security:HashIterations: expected 1000 to 10000000"));
        Assert.That(Directory.EnumerateFileSystemEntries(_directory), Is.Empty, "no store, no ledger, no security folder");
    }

    [Test]
    public async Task Settings_come_from_civicedge_prefixed_environment_variables_like_the_gateway_reads_them()
    {
        var environment = new Dictionary<string, string> { ["CIVICEDGE_Fleet__Broker__Port"] = "70000" };
        await using var fleet = FleetProcess.Start(_directory, environment);

        var exitCode = await fleet.ExitCodeAsync(_timeout.Token);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(fleet.StandardError, Does.Contain("Fleet:Broker:Port: expected a TCP port from 1 to 65535, found 70000"));
    }

    [Test]
    public async Task A_postgresql_store_that_cannot_be_reached_stops_the_start_naming_the_key_and_the_server()
    {
        var nobody = FleetHost.FreeTcpPort();
        await using var fleet = FleetProcess.Start(
            _directory,
            "--Fleet:Storage:Provider=postgresql",
            $"--Fleet:Storage:ConnectionString=Host=127.0.0.1;Port={nobody};Database=civicedge;Username=fleet;Password=s3cret;Timeout=2",
            "--mqtt-port",
            FleetHost.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            "--urls",
            "http://127.0.0.1:0");

        var exitCode = await fleet.ExitCodeAsync(_timeout.Token);

        Assert.That(exitCode, Is.EqualTo(3));
        Assert.That(fleet.StandardError, Does.StartWith($"civicedge-fleet: cannot start: Fleet:Storage:ConnectionString: cannot open the fleet store on PostgreSQL 127.0.0.1:{nobody}/civicedge"));
        Assert.That(fleet.StandardError, Does.Not.Contain("s3cret"));
    }

    [TestCase("--http-url")]
    [TestCase("--urls")]
    public async Task The_ready_line_names_the_bound_http_url_and_the_mqtt_endpoint(string urlSwitch)
    {
        var mqttPort = FleetHost.FreeTcpPort();
        await using var fleet = FleetProcess.Start(
            _directory,
            urlSwitch,
            "http://127.0.0.1:0",
            "--mqtt-port",
            mqttPort.ToString(CultureInfo.InvariantCulture),
            "--db",
            Path.Combine(_directory, "fleet.db"));

        var ready = await fleet.FirstLineAsync(line => line.StartsWith("civicedge-fleet ready", StringComparison.Ordinal), _timeout.Token);
        var match = ReadyLine().Match(ready ?? string.Empty);
        Assert.That(match.Success, Is.True, $"ready line: {ready}; stderr: {fleet.StandardError}");
        Assert.That(match.Groups["mqtt"].Value, Is.EqualTo($"127.0.0.1:{mqttPort}"));

        using var http = new HttpClient { BaseAddress = new Uri(match.Groups["http"].Value) };
        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), _timeout.Token);
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_first_start_prints_a_bootstrap_admin_key_once_and_the_key_works_and_refusals_name_the_callers_address()
    {
        var database = Path.Combine(_directory, "fleet.db");
        string key;
        await using (var first = FleetProcess.Start(_directory, "--http-url", "http://127.0.0.1:0", "--mqtt-port", FleetHost.FreeTcpPort().ToString(CultureInfo.InvariantCulture), "--db", database))
        {
            var printed = await first.FirstLineAsync(line => line.Contains("bootstrap admin key", StringComparison.Ordinal), _timeout.Token);
            key = BootstrapLine().Match(printed ?? string.Empty).Groups["key"].Value;
            Assert.That(key, Does.StartWith("ce_"), $"printed: {printed}; stderr: {first.StandardError}");
            var ready = await first.FirstLineAsync(line => line.StartsWith("civicedge-fleet ready", StringComparison.Ordinal), _timeout.Token);
            using var http = new HttpClient { BaseAddress = new Uri(ReadyLine().Match(ready!).Groups["http"].Value) };

            using var anonymous = await http.GetAsync(new Uri("/api/devices", UriKind.Relative), _timeout.Token);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var devices = await http.GetAsync(new Uri("/api/devices", UriKind.Relative), _timeout.Token);
            var audit = await http.GetStringAsync(new Uri("/api/audit?action=access.denied", UriKind.Relative), _timeout.Token);

            Assert.That((anonymous.StatusCode, devices.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.OK)));
            Assert.That(audit, Does.Contain("\"sourceIp\": \"127.0.0.1\"").Or.Contain("\"sourceIp\":\"127.0.0.1\""));
        }

        await using var second = FleetProcess.Start(_directory, "--http-url", "http://127.0.0.1:0", "--mqtt-port", FleetHost.FreeTcpPort().ToString(CultureInfo.InvariantCulture), "--db", database);
        var untilReady = await second.FirstLineAsync(
            line => line.StartsWith("civicedge-fleet ready", StringComparison.Ordinal) || line.Contains("bootstrap admin key", StringComparison.Ordinal), _timeout.Token);
        Assert.That(untilReady, Does.StartWith("civicedge-fleet ready"), "a fleet with a usable admin key makes no other");
    }

    [Test]
    public async Task An_unknown_access_setting_stops_the_start_naming_it()
    {
        await using var fleet = FleetProcess.Start(_directory, "--Fleet:Access:BootstrapKeyPath=/tmp/key", "--Fleet:Access:BootstrapKey=letmein");

        Assert.That(await fleet.ExitCodeAsync(_timeout.Token), Is.EqualTo(2));
        Assert.That(fleet.StandardError, Does.Contain("BootstrapKeyPath"));
    }

    [GeneratedRegex(@"bootstrap admin key .*: (?<key>ce_\S+)$")]
    private static partial Regex BootstrapLine();

    [GeneratedRegex(@"^civicedge-fleet ready http=(?<http>http://127\.0\.0\.1:[1-9][0-9]*) mqtt=(?<mqtt>\S+)$")]
    private static partial Regex ReadyLine();
}
