using System.Text.Json;
using CivicEdge.Fleet.Cli;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Server.Tests.Health;

/// <summary><c>civic health</c> and <c>civic alarms</c> run in-process against the real fleet, as an operator uses them.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CivicHealthCommandsTests
{
    private HealthFleet _fleet = null!;
    private string _operatorKey = null!;
    private CancellationTokenSource _timeout = null!;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _fleet = await HealthFleet.StartAsync(starting.Token);
        using var admin = _fleet.Host.CreateClient();
        using var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(
            admin, "api/keys", new NewApiKey("water dispatch", FleetRole.Operator, ["water"], false, null), AccessJson.Default.NewApiKey);
        _operatorKey = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, AccessJson.Default.IssuedApiKey))!.Key;
    }

    [OneTimeTearDown]
    public async Task StopFleet() => await _fleet.DisposeAsync();

    [SetUp]
    public void SetUp() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

    [TearDown]
    public void TearDown() => _timeout.Dispose();

    [Test]
    public async Task Health_shows_the_roll_up_and_the_devices_not_ok_to_people_and_both_as_json_to_scripts()
    {
        var (_, table) = await CivicAsync(FleetHost.AdminKey, "health");
        var (_, json) = await CivicAsync(FleetHost.AdminKey, "health", "--tenant", "gas", "--json");

        Assert.That(table, Does.Contain("tenant water").And.Contain("district Erqi").And.Contain("kind waterMeter"));
        Assert.That(table, Does.Contain("gm-1").And.Contain("offline").And.Contain("wm-2").And.Contain("never heard from"));
        using var overview = JsonDocument.Parse(json);
        Assert.That(overview.RootElement.GetProperty("rollup").GetProperty("total").GetProperty("devices").GetInt32(), Is.EqualTo(1));
        Assert.That(overview.RootElement.GetProperty("notOk").EnumerateArray().Select(d => d.GetProperty("device").GetString()), Is.EqualTo(new[] { "gm-1" }));
    }

    [Test]
    public async Task Health_of_one_device_and_the_assessment_are_tables()
    {
        var (_, device) = await CivicAsync(_operatorKey, "health", "wm-1");
        var (_, assessment) = await CivicAsync(_operatorKey, "health", "assessment");
        var (exit, other) = await CivicAsync(3, _operatorKey, "health", "gm-1");

        Assert.That(device, Does.Contain("wm-1").And.Contain("ok, online").And.Contain("every 00:10:00 (from kind)"));
        Assert.That(assessment, Does.Contain("Jinshui").And.Contain("100.0 % (1/1)").And.Contain("0.0 % (0/1)"));
        Assert.That(exit, Is.EqualTo(3), "another tenant's device is unknown to this operator");
        Assert.That(other, Does.Contain("error:"));
    }

    [Test]
    public async Task An_operator_lists_open_alarms_then_acknowledges_assigns_clears_and_closes_one()
    {
        var ingestor = _fleet.Host.Services.GetRequiredService<EventIngestor>();
        await ingestor.IngestBatchAsync("gw-water", new EventBatch("gw-water", Streams.Events,
            [new EventRecord(1, "wm-1", HealthFleet.T0, "leak.detected", EventState.Raised, EventSeverity.Critical, "Leak detected", null, null)]), _timeout.Token);

        var (_, listJson) = await CivicAsync(_operatorKey, "alarms", "--state", "open", "--json");
        using var list = JsonDocument.Parse(listJson);
        var id = list.RootElement.EnumerateArray().Single(a => a.GetProperty("type").GetString() == "leak.detected").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, table) = await CivicAsync(_operatorKey, "alarms", "--state", "open");
        await CivicAsync(_operatorKey, "alarms", "ack", id, "--note", "on it");
        await CivicAsync(_operatorKey, "alarms", "assign", id, "--to", "crew north", "--note", "nearest");
        await CivicAsync(_operatorKey, "alarms", "clear", id, "--note", "pipe fixed");
        var (_, closed) = await CivicAsync(_operatorKey, "alarms", "close", id, "--note", "filed");
        var (exit, refused) = await CivicAsync(3, _operatorKey, "alarms", "ack", id, "--note", "again");

        Assert.That(table, Does.Contain("leak.detected").And.Contain("critical").And.Contain("raised"));
        Assert.That(closed, Does.Contain($"alarm {id}").And.Contain("closed").And.Contain("to crew north: nearest").And.Contain("pipe fixed"));
        Assert.That(exit, Is.EqualTo(3));
        Assert.That(refused, Does.Contain("expected a step of none: it is closed, found acknowledge"));
    }

    private Task<(int Exit, string Output)> CivicAsync(string key, params string[] args) => CivicAsync(0, key, args);

    private async Task<(int Exit, string Output)> CivicAsync(int expectedExit, string key, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(_fleet.Host.Server.CreateHandler()) { BaseAddress = baseAddress }, environment: _ => null);
        var exit = await root.Parse(["--api-key", key, .. args]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, _timeout.Token);
        Assert.That(exit, Is.EqualTo(expectedExit), $"civic {string.Join(' ', args)}:{Environment.NewLine}{console.Output}");
        return (exit, console.Output);
    }
}
