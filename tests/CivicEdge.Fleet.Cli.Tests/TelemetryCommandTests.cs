using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests;

[Category("Unit")]
public sealed class TelemetryCommandTests
{
    private const string Hourly = """
        {"deviceId":"mtr-01","from":"2026-11-22T00:00:00+00:00","to":"2026-11-22T02:00:00+00:00","interval":"1h","aggregates":["avg","max"],
         "series":[{"point":"voltage_l1","unit":"V","quantity":"voltage","buckets":[
            {"start":"2026-11-22T00:00:00+00:00","count":null,"min":null,"max":233.5,"avg":230.25,"last":null},
            {"start":"2026-11-22T01:00:00+00:00","count":null,"min":null,"max":231,"avg":229.75,"last":null}]}]}
        """;

    private const string Csv = "device,point,start,unit,quantity,avg\r\nmtr-01,voltage_l1,2026-11-22T00:00:00Z,V,voltage,230.25\r\n";

    [Test]
    public async Task Telemetry_per_interval_asks_for_the_aggregates_and_prints_a_row_per_bucket()
    {
        var fleet = new StubFleet().Answer(
            "/api/devices/mtr-01/telemetry?from=2026-11-22T00%3A00%3A00.0000000%2B00%3A00&interval=1h&aggregate=avg%2Cmax",
            Hourly);

        var (exit, output, _) = await RunAsync(fleet, "telemetry", "mtr-01", "--interval", "1h", "--aggregate", "avg,max", "--from", "2026-11-22T00:00:00Z");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("per 1h"));
        Assert.That(output, Does.Contain("2026-11-22 00:00").And.Contain("230.25").And.Contain("233.5"));
        Assert.That(output, Does.Contain("2026-11-22 01:00").And.Contain("229.75"));
    }

    [Test]
    public async Task Telemetry_as_csv_prints_the_fleets_export_as_it_comes()
    {
        var fleet = new StubFleet().Answer("/api/devices/mtr-01/telemetry/export?format=csv&interval=1h&aggregate=avg&points=voltage_l1", Csv);

        var (exit, output, _) = await RunAsync(fleet, "telemetry", "mtr-01", "--interval", "1h", "--aggregate", "avg", "--points", "voltage_l1", "--csv");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output.Replace("\r\n", "\n", StringComparison.Ordinal), Is.EqualTo(Csv.Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    [TestCase("--csv", "--json")]
    [TestCase("--aggregate", "avg")]
    [TestCase("--interval", "1h", "--limit", "5")]
    [TestCase("--interval", "5m")]
    public async Task Options_that_do_not_go_together_are_refused_before_any_request(params string[] options)
    {
        var fleet = new StubFleet();

        var (exit, _, _) = await RunAsync(fleet, ["telemetry", "mtr-01", .. options]);

        Assert.That(exit, Is.Not.Zero);
        Assert.That(fleet.Requests, Is.Empty);
    }

    private static async Task<(int Exit, string Output, StubFleet Fleet)> RunAsync(StubFleet fleet, params string[] args)
    {
        var console = new TestConsole().Width(200);
        var root = CivicCommandLine.Build(console, baseAddress => new HttpClient(fleet) { BaseAddress = baseAddress });
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        return (exit, console.Output, fleet);
    }
}
