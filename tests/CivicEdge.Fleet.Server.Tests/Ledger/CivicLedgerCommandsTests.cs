using System.Text.Json;
using CivicEdge.Fleet.Cli;
using CivicEdge.Fleet.Server.Tests.Security;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Server.Tests.Ledger;

/// <summary>
/// The <c>civic devices</c> commands run in-process against the real fleet, as an operator and an installer use them,
/// with the API key in <c>CIVIC_API_KEY</c>.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CivicLedgerCommandsTests
{
    private FleetHost _fleet = null!;
    private string _directory = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Timeout => _timeout.Token;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _fleet = new FleetHost();
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _fleet.StartAsync(starting.Token);
    }

    [OneTimeTearDown]
    public async Task StopFleet() => await _fleet.DisposeAsync();

    [SetUp]
    public void SetUp()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        _directory = Directory.CreateTempSubdirectory("civic-ledger-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _timeout.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Register_list_and_show_speak_to_people_in_tables_and_to_scripts_in_json()
    {
        await CivicAsync("devices", "register", "cli-gw-1", "--kind", "gateway", "--tenant", "city-bureau", "--district", "Jinshui", "--by", "zhang.min");
        var (_, registered) = await CivicAsync("devices", "register", "cli-pm-1", "--kind", "environment-station", "--tenant", "ecology-bureau",
            "--gateway", "cli-gw-1", "--capability", "pm2.5", "--lat", "34.7466", "--lon", "113.6253", "--tag", "pilot");
        var (_, duplicate) = await CivicAsync("devices", "register", "cli-pm-2", "--kind", "sensor", "--tenant", "traffic-police",
            "--capability", "pm2.5", "--lat", "34.7467", "--lon", "113.6253");

        var (_, table) = await CivicAsync("devices", "list", "--tenant", "ecology-bureau");
        var (_, json) = await CivicAsync("devices", "list", "--gateway", "cli-gw-1", "--json");
        var (_, shown) = await CivicAsync("devices", "show", "cli-gw-1");

        Assert.That(registered, Does.Contain("Registered cli-pm-1 (environmentStation of ecology-bureau)."));
        Assert.That(duplicate, Does.Contain("warning:").And.Contain("cli-pm-1 (environmentStation, owned by ecology-bureau) already senses 'pm2.5' 11 m away"));
        Assert.That(table, Does.Contain("cli-pm-1").And.Contain("environmentStation").And.Not.Contain("cli-pm-2"));
        using var devices = JsonDocument.Parse(json);
        Assert.That(devices.RootElement.EnumerateArray().Select(device => device.GetProperty("id").GetString()), Is.EqualTo(new[] { "cli-pm-1" }));
        Assert.That(shown, Does.Contain("gateway of city-bureau").And.Contain("zhang.min").And.Contain("No credentials"));
    }

    [Test]
    public async Task An_installer_claims_a_device_on_site_and_gets_a_secret_file_the_device_connects_with()
    {
        await CivicAsync("devices", "register", "cli-gw-2", "--kind", "gateway", "--tenant", "city-bureau", "--batch", "2026-11");
        var (_, tokenJson) = await CivicAsync("devices", "claim-token", "--batch", "2026-11", "--lifetime", "2h", "--json");
        using var token = JsonDocument.Parse(tokenJson);
        var secretFile = Path.Combine(_directory, "gw.secret");

        var (_, claimed) = await CivicAsync("devices", "claim", "cli-gw-2", "--token", token.RootElement.GetProperty("token").GetString()!,
            "--installer", "li.wei", "--pole", "P-0412", "--issue-credential", "--secret-file", secretFile);

        Assert.That(claimed, Does.Contain("Claimed cli-gw-2: installed by key:testadmin0 (bootstrap), noted as 'li.wei'").And.Contain($"Uplink:PasswordFile={secretFile}"));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(secretFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var secret = (await File.ReadAllLinesAsync(secretFile, Timeout))[0];
        Assert.That(claimed, Does.Not.Contain(secret), "a secret written to a file is not also shown");
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "cli-gw-2", "cli-gw-2", secret, Timeout);
    }

    [Test]
    public async Task Credentials_are_issued_as_certificate_files_listed_and_revoked()
    {
        await CivicAsync("devices", "register", "cli-gw-3", "--kind", "gateway", "--tenant", "city-bureau");

        var (_, issued) = await CivicAsync("devices", "credentials", "issue", "cli-gw-3", "--certificate", "--out", _directory);
        var (_, listed) = await CivicAsync("devices", "credentials", "list", "cli-gw-3");
        var (_, revoked) = await CivicAsync("devices", "credentials", "revoke", "cli-gw-3", "--reason", "test over");
        var (_, after) = await CivicAsync("devices", "credentials", "list", "cli-gw-3", "--json");

        Assert.That(issued, Does.Contain("Certificate credential"));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "cli-gw-3.crt.pem")), Does.StartWith("-----BEGIN CERTIFICATE-----"));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "cli-gw-3.key.pem")), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        Assert.That(File.Exists(Path.Combine(_directory, "fleet-ca.crt.pem")), Is.True);
        Assert.That(listed, Does.Contain("certificate").And.Contain("active"));
        Assert.That(revoked, Does.Contain("Revoked 1 credentials of cli-gw-3"));
        Assert.That(after, Does.Contain("\"active\": false").And.Contain("test over"));
    }

    [Test]
    public async Task Lifecycle_steps_and_decommissioning_are_recorded_and_a_refused_step_exits_3_with_the_fleets_reason()
    {
        await CivicAsync("devices", "register", "cli-lamp-1", "--kind", "lamp", "--tenant", "urban-management");

        var (refusedExit, refused) = await CivicAsync(3, "devices", "lifecycle", "cli-lamp-1", "inService", "--reason", "hurry");
        await CivicAsync("devices", "lifecycle", "cli-lamp-1", "installed", "--reason", "mounted", "--by", "li.wei");
        var (_, decommissioned) = await CivicAsync("devices", "decommission", "cli-lamp-1", "--reason", "street rebuilt", "--by", "op");

        Assert.That(refusedExit, Is.EqualTo(3));
        Assert.That(refused, Does.Contain("state: expected installed or decommissioned after registered, found inService"));
        Assert.That(decommissioned, Does.Contain("cli-lamp-1 is now decommissioned (key:testadmin0 (bootstrap), noted as 'op': street rebuilt)."));
    }

    private Task<(int Exit, string Output)> CivicAsync(params string[] args) => CivicAsync(0, args);

    private async Task<(int Exit, string Output)> CivicAsync(int expectedExit, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(
            console,
            baseAddress => new HttpClient(_fleet.Server.CreateHandler()) { BaseAddress = baseAddress },
            environment: name => name == CivicConfigFile.ApiKeyEnvironmentVariable ? FleetHost.AdminKey : Environment.GetEnvironmentVariable(name));
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, Timeout);
        Assert.That(exit, Is.EqualTo(expectedExit), $"civic {string.Join(' ', args)}:{Environment.NewLine}{console.Output}");
        return (exit, console.Output);
    }
}
