using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// The fleet end to end in one process: a real MQTT client publishes to the embedded broker, the fleet persists and
/// acknowledges over MQTT, and the REST API shows what was stored. One host serves the fixture; every test uses its
/// own source and device ids.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class FleetServerTests
{
    /// <summary>A whole minute within the default telemetry window (the last hour).</summary>
    private static readonly DateTimeOffset T0 = new(
        DateTimeOffset.UtcNow.AddMinutes(-10).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute,
        TimeSpan.Zero);

    private FleetHost _fleet = null!;
    private HttpClient _http = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Timeout => _timeout.Token;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _fleet = new FleetHost();
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _fleet.StartAsync(starting.Token);
        _http = _fleet.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        _http.Dispose();
        await _fleet.DisposeAsync();
    }

    // A guard against hanging on a message that never comes, not a measure of speed.
    [SetUp]
    public void StartTimeout() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

    [TearDown]
    public void StopTimeout() => _timeout.Dispose();

    [Test]
    public async Task A_batch_is_acknowledged_as_persisted_and_the_same_batch_again_as_duplicates()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-test", Timeout);
        var batch = Batch("gw-test", "meter-1", 1, 3);

        await gateway.PublishAsync(batch, Timeout);
        var first = await gateway.NextAckAsync(Timeout);
        await gateway.PublishAsync(batch, Timeout);
        var again = await gateway.NextAckAsync(Timeout);

        Assert.That(first, Is.EqualTo(new DeliveryAck("telemetry", 1, 3, AckStatus.Persisted, 3, 0)));
        Assert.That(again, Is.EqualTo(new DeliveryAck("telemetry", 1, 3, AckStatus.Persisted, 0, 3)));
    }

    [Test]
    public async Task The_acknowledgement_carries_the_correlation_data_of_the_batch()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-correlation", Timeout);
        byte[] correlation = [0xCA, 0xFE, 0x01];

        await gateway.PublishAsync(Batch("gw-correlation", "meter-c", 1, 1), Timeout, correlation);
        var (ack, correlationData) = await gateway.NextAckWithCorrelationAsync(Timeout);

        Assert.That(ack.Status, Is.EqualTo(AckStatus.Persisted));
        Assert.That(correlationData, Is.EqualTo(correlation));
    }

    [Test]
    public async Task A_malformed_payload_is_acknowledged_as_rejected_with_a_reason()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-bad", Timeout);

        await gateway.PublishTextAsync("{\"source\":\"gw-bad\",", Timeout);
        var ack = await gateway.NextAckAsync(Timeout);

        Assert.That(ack.Status, Is.EqualTo(AckStatus.Rejected));
        Assert.That(ack.Reason, Does.StartWith("payload").And.Contain("expected a telemetry batch as JSON"));
    }

    [Test]
    public async Task A_batch_out_of_sequence_is_rejected_naming_the_record()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-order", Timeout);
        var batch = Batch("gw-order", "meter-o", 1, 2);
        batch = batch with { Records = [batch.Records[1], batch.Records[0]] };

        await gateway.PublishAsync(batch, Timeout);
        var ack = await gateway.NextAckAsync(Timeout);

        Assert.That(ack, Is.EqualTo(new DeliveryAck("telemetry", 2, 1, AckStatus.Rejected, 0, 0, "records[1].seq: expected > 2, found 1")));
    }

    [Test]
    public async Task The_rest_api_lists_the_device_and_shows_its_values_with_units()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-rest", Timeout);
        await gateway.PublishAsync(Batch("gw-rest", "meter-rest", 1, 5), Timeout);
        await gateway.NextAckAsync(Timeout);

        var list = await _http.GetAsync(new Uri("/api/devices", UriKind.Relative), Timeout);
        var devices = JsonSerializer.Deserialize(await list.Content.ReadAsStringAsync(Timeout), LedgerJson.Default.IReadOnlyListDeviceListItem);
        var one = await _http.GetAsync(new Uri("/api/devices/meter-rest", UriKind.Relative), Timeout);
        var telemetry = await GetTelemetryAsync("meter-rest", $"?from={Uri.EscapeDataString(T0.ToString("O"))}&limit=2");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(devices?.Select(device => device.Id), Does.Contain("meter-rest"));
        var device = JsonSerializer.Deserialize(await one.Content.ReadAsStringAsync(Timeout), LedgerJson.Default.DeviceDetails);
        Assert.That((device?.Model, device?.Gateway, device?.Readings, device?.LastSeen), Is.EqualTo(("eastron-sdm630", "gw-rest", 5L, (DateTimeOffset?)T0.AddSeconds(5))));
        Assert.That(devices!.Single(item => item.Id == "meter-rest").Registered, Is.False, "a meter only telemetry knows is listed as unregistered");
        Assert.That(devices!.Single(item => item.Id == "gw-rest").Registered, Is.True);
        Assert.That(telemetry.Latest, Is.EqualTo(new[]
        {
            new LatestValue("energy_import", 1005, "kWh", "energy", Quality.Good, T0.AddSeconds(5)),
            new LatestValue("voltage_l1", 235, "V", null, Quality.Good, T0.AddSeconds(5)),
        }));
        var voltage = telemetry.Series.Single(series => series.Point == "voltage_l1");
        Assert.That((voltage.Unit, voltage.Samples.Select(sample => sample.Value)), Is.EqualTo(("V", new[] { 234.0, 235.0 })));
    }

    [Test]
    public async Task Telemetry_without_a_window_covers_the_last_hour()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-window", Timeout);
        var old = Batch("gw-window", "meter-w", 1, 1, DateTimeOffset.UtcNow.AddHours(-2));
        var recent = Batch("gw-window", "meter-w", 2, 2, T0);
        await gateway.PublishAsync(old, Timeout);
        await gateway.NextAckAsync(Timeout);
        await gateway.PublishAsync(recent, Timeout);
        await gateway.NextAckAsync(Timeout);

        var telemetry = await GetTelemetryAsync("meter-w", string.Empty);

        Assert.That(telemetry.To - telemetry.From, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(telemetry.Series.Single(series => series.Point == "voltage_l1").Samples, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_rest_api_json_uses_camel_case_names_and_enums_as_strings()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-json", Timeout);
        await gateway.PublishAsync(Batch("gw-json", "meter-json", 1, 1), Timeout);
        await gateway.NextAckAsync(Timeout);

        var body = await _http.GetStringAsync(new Uri($"/api/devices/meter-json/telemetry?from={Uri.EscapeDataString(T0.ToString("O"))}", UriKind.Relative), Timeout);

        Assert.That(body, Does.Contain("\"deviceId\":\"meter-json\""));
        Assert.That(body, Does.Contain("\"quality\":\"good\"").IgnoreCase);
    }

    [TestCase("/api/devices/meter-nowhere")]
    [TestCase("/api/devices/meter-nowhere/telemetry")]
    public async Task An_unknown_device_is_a_404_problem(string path)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative), Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Contain("meter-nowhere"));
    }

    [TestCase("from=yesterday", "from")]
    [TestCase("to=2026-13-45", "to")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=many", "limit")]
    [TestCase("from=2026-11-22T11:00:00Z&to=2026-11-22T10:00:00Z", "to")]
    public async Task A_bad_query_parameter_is_a_400_problem_naming_it(string query, string parameter)
    {
        var response = await _http.GetAsync(new Uri($"/api/devices/meter-1/telemetry?{query}", UriKind.Relative), Timeout);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), Is.True);
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.StartWith($"{parameter}: expected"));
    }

    [Test]
    public async Task Health_is_good_while_the_store_is_open_and_the_ingest_client_connected()
    {
        var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative), Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_source_state_is_recorded()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-state", Timeout);
        var state = new SourceState("gw-state", true, "0.1.0", T0);

        await gateway.PublishStateAsync(state, Timeout);

        // States are not acknowledged: poll the store until the state arrives or the guard gives up.
        var store = _fleet.Services.GetRequiredService<IFleetStore>();
        IReadOnlyList<SourceState> sources;
        while (!(sources = await store.ListSourcesAsync(Timeout)).Contains(state))
            await Task.Delay(20, Timeout);
        Assert.That(sources, Does.Contain(state));
    }

    [Test]
    public async Task Events_are_acknowledged_once_persisted_and_listed_by_the_rest_api()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-events", Timeout);
        var events = new EventBatch("gw-events", Streams.Events,
        [
            new EventRecord(1, "meter-ev", T0.AddSeconds(1), "voltage_l1.high", EventState.Raised, EventSeverity.Major, "Voltage L1 above 253 V", "voltage_l1", 257.5),
            new EventRecord(2, "meter-ev", T0.AddSeconds(2), "voltage_l1.high", EventState.Cleared, EventSeverity.Major, "Voltage L1 back to normal", "voltage_l1", 231),
            new EventRecord(3, "gw-events", T0.AddSeconds(3), "outbox_overflow", EventState.Occurred, EventSeverity.Warning, "dropped 5 telemetry records 1..5", "telemetry", 5),
        ]);

        await gateway.PublishAsync(events, Timeout);
        var ack = await gateway.NextAckAsync(Timeout);
        await gateway.PublishAsync(events, Timeout);
        var again = await gateway.NextAckAsync(Timeout);

        Assert.That(ack, Is.EqualTo(new DeliveryAck(Streams.Events, 1, 3, AckStatus.Persisted, 3, 0)));
        Assert.That(again, Is.EqualTo(new DeliveryAck(Streams.Events, 1, 3, AckStatus.Persisted, 0, 3)));
        var window = $"from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddMinutes(1).ToString("O"))}";
        var meter = await GetEventsAsync($"/api/devices/meter-ev/events?{window}");
        var byQuery = await GetEventsAsync($"/api/events?device=gw-events&{window}");
        Assert.That(meter.Select(e => (e.Seq, e.State)), Is.EqualTo(new[] { (1L, EventState.Raised), (2L, EventState.Cleared) }));
        Assert.That(byQuery.Single().Code, Is.EqualTo("outbox_overflow"));
        Assert.That(meter[0].Source, Is.EqualTo("gw-events"));
    }

    [Test]
    public async Task An_event_batch_that_breaks_the_contract_is_rejected_with_the_field_named()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-bad-events", Timeout);
        var events = new EventBatch("gw-bad-events", Streams.Events,
            [new EventRecord(1, "meter-x", T0, "", EventState.Raised, EventSeverity.Major, "no code", null, null)]);

        await gateway.PublishAsync(events, Timeout);

        Assert.That(await gateway.NextAckAsync(Timeout), Is.EqualTo(new DeliveryAck(Streams.Events, 1, 1, AckStatus.Rejected, 0, 0, "records[0].code: expected an event code, found ''")));
    }

    [Test]
    public async Task A_bad_event_query_is_a_problem_naming_the_parameter()
    {
        var response = await _http.GetAsync(new Uri("/api/events?limit=0&from=yesterday", UriKind.Relative), Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await response.Content.ReadAsStringAsync(Timeout);
        Assert.That(body, Does.Contain("limit: expected a whole number of events from 1 to 10000, found '0'").And.Contain("from: expected an ISO 8601 time"));
    }

    [Test]
    public async Task A_live_value_newer_than_the_stored_one_shows_as_the_latest_marked_live_and_is_not_stored()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "gw-live", Timeout);
        await gateway.PublishAsync(Batch("gw-live", "meter-live", 1, 1), Timeout);
        await gateway.NextAckAsync(Timeout);
        var live = Batch("gw-live", "meter-live", 500, 500);

        await gateway.PublishLiveAsync(live, Timeout);

        // Live values are not acknowledged: poll until the overlay has it or the guard gives up.
        DeviceTelemetry telemetry;
        while ((telemetry = await GetTelemetryAsync("meter-live", string.Empty)).Latest.All(value => !value.Live))
            await Task.Delay(20, Timeout);
        Assert.That(telemetry.Latest.Single(value => value.Point == "voltage_l1"),
            Is.EqualTo(new LatestValue("voltage_l1", 730, "V", null, Quality.Good, T0.AddSeconds(500), Live: true)));
        var device = await _fleet.Services.GetRequiredService<IFleetStore>().FindDeviceAsync("meter-live", Timeout);
        Assert.That(device?.Readings, Is.EqualTo(1), "live values are never stored");
        Assert.That(telemetry.Series.Single(series => series.Point == "voltage_l1").Samples, Has.Count.EqualTo(1));
    }

    private async Task<IReadOnlyList<EventEntry>> GetEventsAsync(string path)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative), Timeout);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(Timeout));
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Timeout), ContractsJson.Default.IReadOnlyListEventEntry)!;
    }

    private async Task<DeviceTelemetry> GetTelemetryAsync(string deviceId, string query)
    {
        var response = await _http.GetAsync(new Uri($"/api/devices/{deviceId}/telemetry{query}", UriKind.Relative), Timeout);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Timeout), ContractsJson.Default.DeviceTelemetry)!;
    }

    /// <summary>Readings <paramref name="first"/>..<paramref name="last"/> of a meter, one a second from <paramref name="start"/> (T0).</summary>
    private static TelemetryBatch Batch(string sourceId, string deviceId, long first, long last, DateTimeOffset? start = null)
    {
        var at = start ?? T0;
        var records = new List<TelemetryRecord>();
        for (var seq = first; seq <= last; seq++)
        {
            records.Add(new TelemetryRecord(
                seq,
                deviceId,
                "eastron-sdm630",
                start is null ? at.AddSeconds(seq) : at,
                [
                    new PointValue("voltage_l1", 230 + seq, "V", null, Quality.Good),
                    new PointValue("energy_import", 1000 + seq, "kWh", "energy", Quality.Good),
                ]));
        }

        return new TelemetryBatch(sourceId, Streams.Telemetry, records);
    }
}
