using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// Telemetry queries and exports over REST, on readings delivered over MQTT: aggregation by interval, point filters,
/// CSV and JSON exports of one device and of several, and the refusals of bad parameters. One host serves the fixture.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TelemetryApiTests
{
    private const string Gateway = "gw-query";
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly string Window = $"from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddHours(1).ToString("O"))}";

    private FleetHost _fleet = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task StartFleetWithReadings()
    {
        _fleet = new FleetHost();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _fleet.StartAsync(timeout.Token);
        _http = _fleet.CreateClient();

        // Two meters, a reading every 20 s for three minutes: voltage rises by one volt a reading.
        await using var gateway = await TestSource.ConnectAsync(_fleet, Gateway, timeout.Token);
        var records = Enumerable.Range(1, 9)
            .SelectMany(n => new[] { Reading(2 * n - 1, "mtr-q1", n), Reading(2 * n, "mtr-q2", n) })
            .ToList();
        await gateway.PublishAsync(new TelemetryBatch(Gateway, Streams.Telemetry, records), timeout.Token);
        Assert.That((await gateway.NextAckAsync(timeout.Token)).Stored, Is.EqualTo(18));
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        _http.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task Aggregates_per_minute_are_given_for_the_points_asked()
    {
        var answer = await _http.GetFromJsonAsync($"/api/devices/mtr-q1/telemetry?interval=1m&aggregate=avg,max&points=voltage_l1&{Window}", ContractsJson.Default.AggregatedTelemetry);

        Assert.That(answer!.Interval, Is.EqualTo("1m"));
        Assert.That(answer.Aggregates, Is.EqualTo(new[] { "avg", "max" }));
        var voltage = answer.Series.Single();
        Assert.That((voltage.Point, voltage.Unit), Is.EqualTo(("voltage_l1", "V")));
        Assert.That(voltage.Buckets, Is.EqualTo(new[]
        {
            new TelemetryBucket(T0, null, null, 232, 231.5, null),
            new TelemetryBucket(T0.AddMinutes(1), null, null, 235, 234, null),
            new TelemetryBucket(T0.AddMinutes(2), null, null, 238, 237, null),
            new TelemetryBucket(T0.AddMinutes(3), null, null, 239, 239, null),
        }));
    }

    [Test]
    public async Task Raw_telemetry_keeps_to_the_points_asked()
    {
        var answer = await _http.GetFromJsonAsync($"/api/devices/mtr-q1/telemetry?points=energy_import&{Window}", ContractsJson.Default.DeviceTelemetry);

        Assert.That(answer!.Latest.Select(value => value.Point), Is.EqualTo(new[] { "energy_import" }));
        Assert.That(answer.Series.Single().Samples, Has.Count.EqualTo(9));
    }

    [TestCase("interval=5s", "interval: expected raw, 1m, 15m, 1h or 1d, found '5s'")]
    [TestCase("interval=1h&aggregate=median", "aggregate: expected a comma-separated list of min, max, avg, last, count, found 'median'")]
    [TestCase("aggregate=avg", "aggregate: applies to an interval other than raw")]
    [TestCase("interval=1m&from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z", "from: expected a window of at most 10000 intervals of 1m")]
    [TestCase("points=a,,b", "points: expected a comma-separated list of point names, found 'a,,b'")]
    public async Task A_bad_parameter_is_refused_naming_it(string parameters, string detail)
    {
        using var response = await _http.GetAsync(new Uri($"/api/devices/mtr-q1/telemetry?{parameters}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ProblemDetailAsync(response), Does.StartWith(detail));
    }

    [Test]
    public async Task A_device_export_is_csv_with_units_quality_and_the_record_each_sample_came_in()
    {
        using var response = await _http.GetAsync(new Uri($"/api/devices/mtr-q1/telemetry/export?points=voltage_l1&{Window}", UriKind.Relative));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Is.EqualTo("mtr-q1-20261122T1000-20261122T1100.csv"));
        Assert.That(lines[0], Is.EqualTo("device,point,time,value,unit,quantity,quality,source,stream,seq"));
        Assert.That(lines[1], Is.EqualTo("mtr-q1,voltage_l1,2026-11-22T10:00:20Z,231,V,voltage,good,gw-query,telemetry,1"));
        Assert.That(lines, Has.Length.EqualTo(10));
    }

    [Test]
    public async Task An_export_of_every_device_of_a_gateway_in_hourly_buckets_is_json()
    {
        var rows = await _http.GetFromJsonAsync<JsonElement[]>($"/api/telemetry/export?gateway={Gateway}&format=json&interval=1h&aggregate=count,last&points=voltage_l1&{Window}");

        Assert.That(rows, Is.Not.Null);
        Assert.That(rows!.Select(row => (row.GetProperty("device").GetString(), row.GetProperty("count").GetInt32(), row.GetProperty("last").GetDouble())),
            Is.EqualTo(new[] { ("mtr-q1", 9, 239.0), ("mtr-q2", 9, 239.0) }));
        Assert.That(rows![0].GetProperty("unit").GetString(), Is.EqualTo("V"));
        Assert.That(rows[0].TryGetProperty("min", out _), Is.False);
    }

    [Test]
    public async Task An_export_of_the_devices_named_lists_them_by_id()
    {
        using var response = await _http.GetAsync(new Uri($"/api/telemetry/export?devices=mtr-q2,mtr-q1&points=energy_import&interval=1h&aggregate=count&{Window}", UriKind.Relative));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines, Is.EqualTo(new[]
        {
            "device,point,start,unit,quantity,count",
            "mtr-q1,energy_import,2026-11-22T10:00:00Z,kWh,energy,9",
            "mtr-q2,energy_import,2026-11-22T10:00:00Z,kWh,energy,9",
        }));
    }

    [Test]
    public async Task An_export_that_names_an_unknown_device_or_no_device_is_refused()
    {
        using var unknown = await _http.GetAsync(new Uri($"/api/telemetry/export?devices=mtr-q1,mtr-none&{Window}", UriKind.Relative));
        using var none = await _http.GetAsync(new Uri($"/api/telemetry/export?{Window}", UriKind.Relative));
        using var format = await _http.GetAsync(new Uri($"/api/devices/mtr-q1/telemetry/export?format=xlsx", UriKind.Relative));

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ProblemDetailAsync(unknown), Does.Contain("'mtr-none'"));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await ProblemDetailAsync(format), Is.EqualTo("format: expected csv or json, found 'xlsx'"));
    }

    private static TelemetryRecord Reading(long seq, string deviceId, int n) =>
        new(seq, deviceId, "eastron-sdm630", T0.AddSeconds(20 * n), [
            new PointValue("voltage_l1", 230 + n, "V", "voltage", Quality.Good),
            new PointValue("energy_import", 1000 + n, "kWh", "energy", Quality.Good),
        ]);

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString() ?? string.Empty;
    }
}
