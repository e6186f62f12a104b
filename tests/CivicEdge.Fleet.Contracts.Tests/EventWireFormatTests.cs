using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Tests;

/// <summary>The JSON of events and live values, pinned byte for byte like telemetry.</summary>
[Category("Unit")]
public sealed class EventWireFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly EventBatch Batch = new(
        "gw-01",
        Streams.Events,
        [
            new EventRecord(7, "mtr-01", At, "voltage_l1.high", EventState.Raised, EventSeverity.Major, "Voltage L1 above 253 V", "voltage_l1", 257.5),
            new EventRecord(8, "gw-01", At.AddSeconds(1), "outbox_overflow", EventState.Occurred, EventSeverity.Warning, "dropped 50 telemetry records 1..50", null, null),
        ]);

    [Test]
    public void An_event_batch_is_camel_case_json_with_state_and_severity_as_strings()
    {
        var json = JsonSerializer.Serialize(Batch, ContractsJson.Default.EventBatch);

        Assert.That(json, Is.EqualTo(
            """{"source":"gw-01","stream":"events","records":[{"seq":7,"deviceId":"mtr-01","timestamp":"2026-11-22T10:00:00+00:00","code":"voltage_l1.high","state":"raised","severity":"major","message":"Voltage L1 above 253 V","point":"voltage_l1","value":257.5},{"seq":8,"deviceId":"gw-01","timestamp":"2026-11-22T10:00:01+00:00","code":"outbox_overflow","state":"occurred","severity":"warning","message":"dropped 50 telemetry records 1..50","point":null,"value":null}]}"""));
    }

    [Test]
    public void An_event_batch_round_trips_unchanged()
    {
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(Batch, ContractsJson.Default.EventBatch), ContractsJson.Default.EventBatch)!;

        Assert.That((back.Source, back.Stream), Is.EqualTo((Batch.Source, Batch.Stream)));
        Assert.That(back.Records, Is.EqualTo(Batch.Records));
    }

    [TestCase("code")]
    [TestCase("severity")]
    [TestCase("message")]
    public void An_event_without_a_required_field_is_refused_with_the_field_named(string field)
    {
        var json = JsonSerializer.Serialize(Batch, ContractsJson.Default.EventBatch);
        using var document = JsonDocument.Parse(json);
        var record = document.RootElement.GetProperty("records")[0].EnumerateObject().Where(p => p.Name != field).ToDictionary(p => p.Name, p => p.Value.Clone());
        var broken = $$"""{"source":"gw-01","stream":"events","records":[{{JsonSerializer.Serialize(record)}}]}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(broken, ContractsJson.Default.EventBatch));

        Assert.That(error!.Message, Does.Contain(field));
    }

    [Test]
    public void An_unknown_state_is_refused()
    {
        var json = JsonSerializer.Serialize(Batch, ContractsJson.Default.EventBatch).Replace("\"raised\"", "\"exploded\"", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContractsJson.Default.EventBatch));
    }

    [Test]
    public void A_live_latest_value_says_so_and_an_older_answer_without_the_flag_still_reads()
    {
        var live = new LatestValue("voltage_l1", 231.5, "V", "voltage", Quality.Good, At, Live: true);

        var json = JsonSerializer.Serialize(live, ContractsJson.Default.LatestValue);
        var older = JsonSerializer.Deserialize(
            """{"point":"voltage_l1","value":231.5,"unit":"V","quantity":"voltage","quality":"good","timestamp":"2026-11-22T10:00:00+00:00"}""",
            ContractsJson.Default.LatestValue)!;

        Assert.That(json, Is.EqualTo("""{"point":"voltage_l1","value":231.5,"unit":"V","quantity":"voltage","quality":"good","timestamp":"2026-11-22T10:00:00+00:00","live":true}"""));
        Assert.That(older.Live, Is.False);
    }

    [Test]
    public void An_event_entry_of_the_rest_api_carries_source_sequence_and_reception_time()
    {
        var entry = new EventEntry("gw-01", 7, "mtr-01", At, "door_open", EventState.Occurred, EventSeverity.Info, "Cabinet door opened", null, null, At.AddMinutes(5));

        var json = JsonSerializer.Serialize(entry, ContractsJson.Default.EventEntry);

        Assert.That(json, Is.EqualTo(
            """{"source":"gw-01","seq":7,"deviceId":"mtr-01","timestamp":"2026-11-22T10:00:00+00:00","code":"door_open","state":"occurred","severity":"info","message":"Cabinet door opened","point":null,"value":null,"receivedAt":"2026-11-22T10:05:00+00:00"}"""));
    }
}
