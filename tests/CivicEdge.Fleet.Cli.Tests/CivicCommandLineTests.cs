using System.Net;
using System.Text.Json;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests;

[Category("Unit")]
public sealed class CivicCommandLineTests
{
    private const string Devices = """
        [{"id":"mtr-01","model":"eastron-sdm630","gateway":"gw-01","firstSeen":"2026-11-22T10:00:00+00:00","lastSeen":"2026-11-22T10:05:00+00:00","readings":61,
          "registered":true,"kind":"energyMeter","tenant":"power-utility","district":"Erqi","state":"inService","firmware":"1.2","tags":["pilot"]},
         {"id":"mtr-02","model":"eastron-sdm630","gateway":"gw-01","firstSeen":"2026-11-22T10:00:00+00:00","lastSeen":"2026-11-22T10:05:00+00:00","readings":3,
          "registered":false,"kind":null,"tenant":null,"district":null,"state":null,"firmware":null,"tags":[]}]
        """;

    private const string Telemetry = """
        {"deviceId":"mtr-01","from":"2026-11-22T09:05:00+00:00","to":"2026-11-22T10:05:00+00:00",
         "latest":[{"point":"voltage_l1","value":231.5,"unit":"V","quantity":"voltage","quality":"good","timestamp":"2026-11-22T10:05:00+00:00"},
                   {"point":"import_energy","value":1234.25,"unit":"kWh","quantity":"energy","quality":"good","timestamp":"2026-11-22T10:05:00+00:00"}],
         "series":[{"point":"voltage_l1","unit":"V","quantity":"voltage","samples":[
                      {"timestamp":"2026-11-22T10:04:55+00:00","value":229.0,"quality":"good"},
                      {"timestamp":"2026-11-22T10:05:00+00:00","value":231.5,"quality":"good"}]}]}
        """;

    [Test]
    public async Task Devices_list_prints_a_table_of_the_devices_the_fleet_returns()
    {
        var (exit, output, fleet) = await RunAsync(new StubFleet().Answer("/api/devices", Devices), "devices", "list");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("mtr-01").And.Contain("eastron-sdm630").And.Contain("gw-01").And.Contain("61"));
        Assert.That(output, Does.Contain("energyMeter").And.Contain("power-utility").And.Contain("inService"));
        Assert.That(output, Does.Contain("unregistered").And.Contain("1 reporting but not registered"));
        Assert.That(fleet.Requests.Single().AbsoluteUri, Is.EqualTo("http://127.0.0.1:5080/api/devices"));
    }

    [Test]
    public async Task Devices_list_with_json_prints_the_api_answer_as_parseable_json()
    {
        var (exit, output, _) = await RunAsync(new StubFleet().Answer("/api/devices", Devices), "devices", "list", "--json");

        Assert.That(exit, Is.Zero);
        using var document = JsonDocument.Parse(output);
        Assert.That(document.RootElement[0].GetProperty("id").GetString(), Is.EqualTo("mtr-01"));
    }

    [Test]
    public async Task Telemetry_shows_latest_values_with_units_and_series_extremes()
    {
        var fleet = new StubFleet().Answer("/api/devices/mtr-01/telemetry", Telemetry);

        var (exit, output, _) = await RunAsync(fleet, "telemetry", "mtr-01");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("voltage_l1").And.Contain("231.5").And.Contain("229").And.Contain("kWh").And.Contain("1234.25"));
    }

    [Test]
    public async Task Fleet_option_points_the_cli_at_another_fleet_and_passes_the_window()
    {
        var fleet = new StubFleet().Answer("/api/devices/mtr-01/telemetry?limit=5", Telemetry);

        var (exit, _, _) = await RunAsync(fleet, "telemetry", "mtr-01", "--limit", "5", "--fleet", "http://fleet.example:8080");

        Assert.That(exit, Is.Zero);
        Assert.That(fleet.Requests.Single().AbsoluteUri, Is.EqualTo("http://fleet.example:8080/api/devices/mtr-01/telemetry?limit=5"));
    }

    [Test]
    public async Task An_unknown_device_is_reported_with_the_fleet_problem_detail()
    {
        var fleet = new StubFleet().Answer(
            "/api/devices/nope/telemetry",
            """{"title":"Not Found","status":404,"detail":"No device 'nope' is registered."}""",
            HttpStatusCode.NotFound);

        var (exit, output, _) = await RunAsync(fleet, "telemetry", "nope");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.FleetErrorExitCode));
        Assert.That(output, Does.Contain("404").And.Contain("No device 'nope' is registered."));
    }

    [Test]
    public async Task An_unreachable_fleet_says_where_it_looked_and_how_to_point_elsewhere()
    {
        var (exit, output, _) = await RunAsync(new StubFleet { Unreachable = true }, "devices", "list");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.FleetErrorExitCode));
        Assert.That(output, Does.Contain("Cannot reach the fleet at http://127.0.0.1:5080/").And.Contain("--fleet"));
    }

    [Test]
    public async Task A_fleet_url_that_is_not_http_is_refused_before_any_request()
    {
        var fleet = new StubFleet();

        var (exit, _, _) = await RunAsync(fleet, "devices", "list", "--fleet", "ftp://somewhere");

        Assert.That(exit, Is.Not.Zero);
        Assert.That(fleet.Requests, Is.Empty);
    }

    private static async Task<(int Exit, string Output, StubFleet Fleet)> RunAsync(StubFleet fleet, params string[] args)
    {
        var console = new TestConsole().Width(200);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress });
        var parse = root.Parse(args);
        var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, console.Output, fleet);
    }
}
