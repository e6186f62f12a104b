using System.Net;
using System.Text.Json;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests.Access;

/// <summary><c>civic</c> with authentication on: where the key comes from, and the keys, audit and whoami commands.</summary>
[Category("Unit")]
public sealed class AccessCommandTests
{
    private const string Key = "ce_abcdefghij_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Me = """{"name":"key:abcdefghij (dispatch)","role":"operator","tenants":["water"],"allTenants":false,"permissions":["readLedger","changeTwin"],"method":"api-key"}""";

    private string _directory = string.Empty;
    private Dictionary<string, string> _environment = null!;

    [SetUp]
    public void CreateHome()
    {
        _directory = Directory.CreateTempSubdirectory("civic-home-").FullName;
        _environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = _directory };
    }

    [TearDown]
    public void DeleteHome() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task The_key_from_the_command_line_is_sent_as_a_bearer_token()
    {
        var (exit, output, fleet) = await RunAsync(new StubFleet().Answer("/api/me", Me), "whoami", "--api-key", Key);

        Assert.That(exit, Is.Zero, output);
        Assert.That(fleet.Authorizations.Single(), Is.EqualTo($"Bearer {Key}"));
        Assert.That(output, Does.Contain("key:abcdefghij (dispatch)").And.Contain("role operator").And.Contain("water").And.Contain("changeTwin"));
    }

    [Test]
    public async Task The_key_comes_from_the_environment_when_not_given_and_the_command_line_wins_over_it()
    {
        _environment["CIVIC_API_KEY"] = "ce_fromenviro_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        var (_, _, fromEnvironment) = await RunAsync(new StubFleet().Answer("/api/me", Me), "whoami");
        var (_, _, fromCommandLine) = await RunAsync(new StubFleet().Answer("/api/me", Me), "whoami", "--api-key", Key);

        Assert.That(fromEnvironment.Authorizations.Single(), Does.EndWith("ce_fromenviro_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        Assert.That(fromCommandLine.Authorizations.Single(), Does.EndWith(Key));
    }

    [Test]
    public async Task The_key_and_fleet_come_from_the_settings_file_in_the_users_home_when_nothing_else_gives_them()
    {
        var settings = Path.Combine(_directory, ".config", "civic", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(settings)!);
        await File.WriteAllTextAsync(settings, $$"""{"fleet": "http://fleet.city.example:8080", "apiKey": "{{Key}}"}""");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(settings, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (exit, output, fleet) = await RunAsync(new StubFleet().Answer("/api/me", Me), "whoami");

        Assert.That(exit, Is.Zero, output);
        Assert.That(fleet.Requests.Single().AbsoluteUri, Is.EqualTo("http://fleet.city.example:8080/api/me"));
        Assert.That(fleet.Authorizations.Single(), Is.EqualTo($"Bearer {Key}"));
        Assert.That(output, Does.Not.Contain("warning"));
    }

    [Test]
    public async Task A_settings_file_others_may_read_is_used_with_a_warning()
    {
        var settings = Path.Combine(_directory, "civic.json");
        await File.WriteAllTextAsync(settings, $$"""{"apiKey": "{{Key}}"}""");
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes only.");
            return;
        }

        File.SetUnixFileMode(settings, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        _environment["CIVIC_CONFIG"] = settings;

        var (exit, output, _) = await RunAsync(new StubFleet().Answer("/api/me", Me), "whoami");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("warning:").And.Contain("chmod 600"));
    }

    [Test]
    public async Task A_settings_file_that_is_not_json_stops_the_command_naming_the_file()
    {
        var settings = Path.Combine(_directory, "civic.json");
        await File.WriteAllTextAsync(settings, "apiKey = ce_x");
        _environment["CIVIC_CONFIG"] = settings;
        var fleet = new StubFleet().Answer("/api/me", Me);

        var (exit, output, _) = await RunAsync(fleet, "whoami");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.FleetErrorExitCode));
        Assert.That(output, Does.Contain(settings));
        Assert.That(fleet.Requests, Is.Empty);
    }

    [Test]
    public async Task A_refusal_for_want_of_a_key_tells_where_to_give_one()
    {
        var fleet = new StubFleet().Answer("/api/devices",
            """{"status":401,"title":"Authentication required","detail":"no credentials: send 'Authorization: Bearer <API key or token>'"}""", HttpStatusCode.Unauthorized);

        var (exit, output, _) = await RunAsync(fleet, "devices", "list");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.FleetErrorExitCode));
        Assert.That(output, Does.Contain("401").And.Contain("no credentials").And.Contain("--api-key").And.Contain("CIVIC_API_KEY"));
    }

    [Test]
    public async Task Keys_create_sends_the_request_and_prints_the_key_once()
    {
        var issued = $$$"""
            {"key":"{{{Key}}}","info":{"id":"abcdefghij","name":"night shift","role":"operator","tenants":["water","gas"],"allTenants":false,
             "createdAt":"2026-11-22T10:00:00+00:00","createdBy":"key:bootstrap0 (bootstrap)","expiresAt":"2027-02-20T10:00:00+00:00","lastUsedAt":null,"revokedAt":null}}
            """;
        var fleet = new StubFleet().Answer("/api/keys", issued, HttpStatusCode.Created);

        var (exit, output, _) = await RunAsync(fleet, "keys", "create", "night shift", "--role", "operator", "--tenant", "water", "--tenant", "gas", "--expires", "2027-02-20T10:00:00Z", "--api-key", Key);

        Assert.That(exit, Is.Zero, output);
        Assert.That(fleet.Sent.Single().Method, Is.EqualTo(HttpMethod.Post));
        using var body = JsonDocument.Parse(fleet.Sent.Single().Body!);
        Assert.That(body.RootElement.GetProperty("name").GetString(), Is.EqualTo("night shift"));
        Assert.That(body.RootElement.GetProperty("role").GetString(), Is.EqualTo("operator"));
        Assert.That(body.RootElement.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "water", "gas" }));
        Assert.That(body.RootElement.GetProperty("allTenants").GetBoolean(), Is.False);
        Assert.That(output, Does.Contain(Key).And.Contain("shown this once"));
    }

    [TestCase("--role", "operator")]
    [TestCase("--role", "operator", "--tenant", "water", "--all-tenants")]
    [TestCase("--role", "king", "--tenant", "water")]
    public async Task Keys_create_without_exactly_one_scope_or_with_an_unknown_role_asks_nothing_of_the_fleet(params string[] args)
    {
        var fleet = new StubFleet();

        var (exit, _, _) = await RunAsync(fleet, ["keys", "create", "x", .. args]);

        Assert.That(exit, Is.Not.Zero);
        Assert.That(fleet.Requests, Is.Empty);
    }

    [Test]
    public async Task Keys_revoke_deletes_the_key_by_its_id()
    {
        var fleet = new StubFleet().Answer("/api/keys/abcdefghij",
            """{"id":"abcdefghij","name":"lost laptop","role":"operator","tenants":["water"],"allTenants":false,"createdAt":"2026-11-22T10:00:00+00:00","createdBy":"x","expiresAt":null,"lastUsedAt":null,"revokedAt":"2026-11-22T11:00:00+00:00"}""");

        var (exit, output, _) = await RunAsync(fleet, "keys", "revoke", "abcdefghij");

        Assert.That(exit, Is.Zero, output);
        Assert.That(fleet.Sent.Single().Method, Is.EqualTo(HttpMethod.Delete));
        Assert.That(output, Does.Contain("abcdefghij").And.Contain("lost laptop").And.Contain("revoked"));
    }

    [Test]
    public async Task Audit_passes_its_criteria_as_the_query_and_prints_a_table()
    {
        var entries = """
            [{"sequence":7,"time":"2026-11-22T10:00:00+00:00","actor":"key:abcdefghij (dispatch)","role":"operator","actorTenants":["water"],
              "action":"twin.set","target":"gw-water","tenant":"water","outcome":"succeeded","detail":"desired version 3 stored and published",
              "sourceIp":"10.20.0.7","correlationId":"0af7651916cd43dd8448eb211c80319c"}]
            """;
        var fleet = new StubFleet().Answer("/api/audit?target=gw-water&action=twin.&outcome=succeeded&limit=20", entries);

        var (exit, output, _) = await RunAsync(fleet, "audit", "--target", "gw-water", "--action", "twin.", "--outcome", "succeeded", "--limit", "20");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("twin.set").And.Contain("gw-water").And.Contain("succeeded").And.Contain("10.20.0.7").And.Contain("desired version 3"));
    }

    private async Task<(int Exit, string Output, StubFleet Fleet)> RunAsync(StubFleet fleet, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress }, environment: name => _environment.GetValueOrDefault(name));
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, console.Output, fleet);
    }
}
