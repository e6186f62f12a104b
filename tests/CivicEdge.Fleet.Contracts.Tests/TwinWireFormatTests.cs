using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Tests;

/// <summary>The twin's desired and reported states and the health report, pinned on the wire.</summary>
[Category("Unit")]
public sealed class TwinWireFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_desired_state_carries_its_version_and_the_configuration_as_the_gateway_file_writes_it()
    {
        using var device = JsonDocument.Parse("""{"id":"mtr-1","profile":"eastron-sdm630","bus":"rs485-1","unit":3}""");
        using var bus = JsonDocument.Parse("""{"id":"rs485-1","kind":"rtu","path":"/dev/ttyUSB0"}""");
        var state = new DesiredState(7, At, new DesiredConfiguration([bus.RootElement], [device.RootElement], ["schema: civicedge.profile/v1"]));

        var json = JsonSerializer.Serialize(state, ContractsJson.Default.DesiredState);

        Assert.That(json, Is.EqualTo(
            """{"version":7,"updatedAt":"2026-11-22T10:00:00+00:00","configuration":{"buses":[{"id":"rs485-1","kind":"rtu","path":"/dev/ttyUSB0"}],"devices":[{"id":"mtr-1","profile":"eastron-sdm630","bus":"rs485-1","unit":3}],"profiles":["schema: civicedge.profile/v1"]}}"""));
        var back = JsonSerializer.Deserialize(json, ContractsJson.Default.DesiredState)!;
        Assert.That(back.Configuration!.Devices.Single().GetProperty("unit").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public void A_withdrawn_desired_state_has_a_null_configuration()
    {
        var json = JsonSerializer.Serialize(new DesiredState(8, At, null), ContractsJson.Default.DesiredState);

        Assert.That(json, Is.EqualTo("""{"version":8,"updatedAt":"2026-11-22T10:00:00+00:00","configuration":null}"""));
    }

    [Test]
    public void A_reported_state_says_what_runs_where_it_came_from_and_why_a_version_was_refused()
    {
        var state = new ReportedState(
            "gw-01", "0.1.0", At, ConfigurationOrigin.Fleet, 6,
            new ConfigurationOutcome(7, ConfigurationStatus.Refused, ["Devices:0:Unit is 0; expected a Modbus unit identifier 1..247."], At),
            new ConfigurationOutcome(null, ConfigurationStatus.Superseded, [], At),
            [new ReportedDevice("mtr-1", "eastron-sdm630", "rs485-1", 3, 5)]);

        var json = JsonSerializer.Serialize(state, ContractsJson.Default.ReportedState);

        Assert.That(json, Is.EqualTo(
            """{"sourceId":"gw-01","softwareVersion":"0.1.0","timestamp":"2026-11-22T10:00:00+00:00","origin":"fleet","appliedVersion":6,"lastDesired":{"version":7,"status":"refused","errors":["Devices:0:Unit is 0; expected a Modbus unit identifier 1..247."],"at":"2026-11-22T10:00:00+00:00"},"lastLocal":{"version":null,"status":"superseded","errors":[],"at":"2026-11-22T10:00:00+00:00"},"devices":[{"id":"mtr-1","model":"eastron-sdm630","bus":"rs485-1","unit":3,"pollIntervalSeconds":5}]}"""));
    }

    [Test]
    public void A_health_report_round_trips_with_verdicts_as_lower_case_words()
    {
        var report = new HealthReport(
            "gw-01", "0.1.0", At, 3600, ConfigurationOrigin.Local, null,
            new ProcessHealth(12.5, 40.2, 52_000_000, 9_000_000),
            new DiskHealth("/var/lib/civicedge/gateway.db", 1_000_000_000, 8_000_000_000),
            [new OutboxHealth(Streams.Telemetry, 12, 30.5, 1200, 1188, 0)],
            new UplinkHealth(false, At, "connection refused", At, 4),
            [new DeviceHealth("mtr-1", "rs485-1", HealthVerdict.Degraded, ["missed its last poll"], 10, 20, 18, 2, 0, 0, 0, 1, 12.5, 40, At, At)]);

        var json = JsonSerializer.Serialize(report, ContractsJson.Default.HealthReport);
        var back = JsonSerializer.Deserialize(json, ContractsJson.Default.HealthReport)!;

        Assert.That(json, Does.Contain("\"verdict\":\"degraded\"").And.Contain("\"origin\":\"local\"").And.Contain("\"oldestAgeSeconds\":30.5"));
        Assert.That(back.Devices.Single(), Is.EqualTo(report.Devices.Single() with { Reasons = back.Devices.Single().Reasons }));
        Assert.That(back.Devices.Single().Reasons, Is.EqualTo(report.Devices.Single().Reasons));
        Assert.That(back.Uplink, Is.EqualTo(report.Uplink));
    }

    [Test]
    public void A_health_report_without_its_devices_is_refused_naming_the_field()
    {
        const string missing = """{"sourceId":"gw-01","softwareVersion":"0.1.0","timestamp":"2026-11-22T10:00:00Z","uptimeSeconds":1,"origin":"local","appliedVersion":null,"process":{"cpuPercent":0,"cpuSeconds":0,"workingSetBytes":0,"gcHeapBytes":0},"disk":{"path":"x","freeBytes":null,"totalBytes":null},"outbox":[],"uplink":{"connected":false,"since":null,"lastError":null,"lastErrorAt":null,"failedAttempts":0}}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(missing, ContractsJson.Default.HealthReport));

        Assert.That(error!.Message, Does.Contain("devices"));
    }
}
