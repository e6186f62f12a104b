using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Tests;

/// <summary>The JSON on the wire is a contract with devices we do not build ourselves: it is pinned here byte for byte.</summary>
[Category("Unit")]
public sealed class WireFormatTests
{
    private static readonly TelemetryBatch Batch = new(
        "gw-01",
        Streams.Telemetry,
        [
            new TelemetryRecord(41, "mtr-01", "eastron-sdm630", new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
            [
                new PointValue("voltage_l1", 231.5, "V", "voltage", Quality.Good),
                new PointValue("power_factor_l1", 0.97, "1", null, Quality.OutOfRange),
            ]),
        ]);

    [Test]
    public void A_telemetry_batch_is_camel_case_json_with_enums_as_camel_case_strings()
    {
        var json = JsonSerializer.Serialize(Batch, ContractsJson.Default.TelemetryBatch);

        Assert.That(json, Is.EqualTo(
            """{"source":"gw-01","stream":"telemetry","records":[{"seq":41,"deviceId":"mtr-01","model":"eastron-sdm630","timestamp":"2026-11-22T10:00:00+00:00","points":[{"name":"voltage_l1","value":231.5,"unit":"V","quantity":"voltage","quality":"good"},{"name":"power_factor_l1","value":0.97,"unit":"1","quantity":null,"quality":"outOfRange"}]}]}"""));
    }

    [Test]
    public void A_batch_round_trips_unchanged()
    {
        var json = JsonSerializer.Serialize(Batch, ContractsJson.Default.TelemetryBatch);

        var back = JsonSerializer.Deserialize(json, ContractsJson.Default.TelemetryBatch)!;

        Assert.That(back.Source, Is.EqualTo(Batch.Source));
        Assert.That(back.Records.Single().Points, Is.EqualTo(Batch.Records.Single().Points));
        Assert.That(back.Records.Single().Timestamp, Is.EqualTo(Batch.Records.Single().Timestamp));
    }

    [Test]
    public void An_ack_names_the_range_and_the_outcome()
    {
        var json = JsonSerializer.Serialize(new DeliveryAck("telemetry", 41, 60, AckStatus.Persisted, 18, 2), ContractsJson.Default.DeliveryAck);

        Assert.That(json, Is.EqualTo("""{"stream":"telemetry","firstSeq":41,"lastSeq":60,"status":"persisted","stored":18,"duplicates":2,"reason":null}"""));
    }

    [Test]
    public void A_record_without_a_required_field_is_refused_with_the_field_named()
    {
        const string missingDevice = """{"source":"gw-01","stream":"telemetry","records":[{"seq":1,"model":null,"timestamp":"2026-11-22T10:00:00Z","points":[]}]}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(missingDevice, ContractsJson.Default.TelemetryBatch));

        Assert.That(error!.Message, Does.Contain("deviceId"));
    }
}
