using System.Text;
using System.Text.Json;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Json;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using CommandStatus = CivicEdge.Fleet.Contracts.Commands.CommandStatus;
using EventSeverity = CivicEdge.Firmware.Core.Uplink.EventSeverity;
using EventState = CivicEdge.Fleet.Contracts.EventState;

namespace CivicEdge.Firmware.Core.Tests.Uplink;

/// <summary>Every message the device writes is read back with the fleet's own contract types and serializer settings.</summary>
[Category("Unit")]
public sealed class DeviceUplinkContractTests
{
    private static T Read<T>(FakeNetworkLink.Published message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(message.Payload, type) ?? throw new AssertionException("null payload");

    private static UplinkRig Connected(Action<UplinkOptions>? configure = null, ResetCause resetCause = ResetCause.PowerOn)
    {
        var rig = new UplinkRig(configure, resetCause);
        rig.Uplink.Poll();
        Assert.That(rig.Uplink.IsConnected, Is.True);
        return rig;
    }

    [Test]
    public void The_birth_message_is_a_retained_online_state_and_the_last_will_the_offline_one()
    {
        var rig = Connected();

        var birth = rig.Link.On(rig.Topic("/state")).Single();
        var online = Read(birth, ContractsJson.Default.SourceState);
        Assert.That(birth.Retain, Is.True);
        Assert.That(online, Is.EqualTo(new SourceState(UplinkRig.Source, true, "1.4.2", rig.Time.GetUtcNow())));

        Assert.That(rig.Link.WillTopic, Is.EqualTo(rig.Topic("/state")));
        var will = JsonSerializer.Deserialize(rig.Link.WillPayload, ContractsJson.Default.SourceState)!;
        Assert.That(will.Online, Is.False);
        Assert.That(will.SourceId, Is.EqualTo(UplinkRig.Source));
        Assert.That((rig.Link.UserName, rig.Link.Password), Is.EqualTo((UplinkRig.Source, "s3cret")));
    }

    [Test]
    public void Readings_go_out_as_a_telemetry_batch_numbered_from_one()
    {
        var rig = new UplinkRig();
        rig.Uplink.BeginReading(billing: false);
        rig.Uplink.AddPoint("lamp_current", 0.43, "A", "current", PointQuality.Good);
        rig.Uplink.AddPoint("dimming_level", 40, "%", null!, PointQuality.Stale);
        Assert.That(rig.Uplink.EndReading(), Is.EqualTo(1));
        Assert.That(rig.Uplink.ReportPoint("supply_voltage", 229.87, "V", "voltage", PointQuality.OutOfRange), Is.EqualTo(2));
        rig.Uplink.Poll();

        var batch = Read(rig.Link.On(rig.Topic("/telemetry")).Single(), ContractsJson.Default.TelemetryBatch);
        Assert.That(batch.Source, Is.EqualTo(UplinkRig.Source));
        Assert.That(batch.Stream, Is.EqualTo(Streams.Telemetry));
        Assert.That(batch.Records.Select(r => r.Seq), Is.EqualTo(new[] { 1L, 2L }));
        var first = batch.Records[0];
        Assert.That(first.DeviceId, Is.EqualTo(UplinkRig.Source));
        Assert.That(first.Model, Is.EqualTo("civicedge-pole"));
        Assert.That(first.Timestamp, Is.EqualTo(rig.Time.GetUtcNow()));
        Assert.That(first.Points, Is.EqualTo(new[]
        {
            new PointValue("lamp_current", 0.43, "A", "current", Quality.Good),
            new PointValue("dimming_level", 40, "%", null, Quality.Stale),
        }));
        Assert.That(batch.Records[1].Points.Single(), Is.EqualTo(new PointValue("supply_voltage", 229.87, "V", "voltage", Quality.OutOfRange)));
    }

    [Test]
    public void Billing_readings_are_numbered_in_their_own_stream()
    {
        var rig = new UplinkRig();
        rig.Uplink.ReportPoint("lamp_current", 0.43, "A", "current", PointQuality.Good);
        rig.Uplink.BeginReading(billing: true);
        rig.Uplink.AddPoint("energy_total", 123456789.123, "kWh", "energy", PointQuality.Good);
        Assert.That(rig.Uplink.EndReading(), Is.EqualTo(1));
        rig.Uplink.Poll();

        var batches = rig.Link.On(rig.Topic("/telemetry")).Select(m => Read(m, ContractsJson.Default.TelemetryBatch)).ToList();
        Assert.That(batches.Select(b => b.Stream), Is.EquivalentTo(new[] { Streams.Telemetry, Streams.Billing }));
        var billing = batches.Single(b => b.Stream == Streams.Billing).Records.Single();
        Assert.That((billing.Seq, billing.Points.Single().Value), Is.EqualTo((1L, 123456789.123)));
    }

    [Test]
    public void Alarms_go_out_as_an_event_batch_raised_then_cleared()
    {
        var rig = new UplinkRig();
        rig.Uplink.RaiseEvent("lamp_failure", EventSeverity.Major, "Lamp draws no current while switched on", "lamp_current", 0.0);
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        rig.Uplink.ClearEvent("lamp_failure", EventSeverity.Major, "Lamp draws current again");
        rig.Uplink.EventOccurred("door_opened", EventSeverity.Info, "Door opened with a key");
        rig.Uplink.Poll();

        var batch = Read(rig.Link.On(rig.Topic("/events")).Single(), ContractsJson.Default.EventBatch);
        Assert.That((batch.Source, batch.Stream), Is.EqualTo((UplinkRig.Source, Streams.Events)));
        var start = new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);
        Assert.That(batch.Records, Is.EqualTo(new[]
        {
            new EventRecord(1, UplinkRig.Source, start, "lamp_failure", EventState.Raised, Fleet.Contracts.EventSeverity.Major, "Lamp draws no current while switched on", "lamp_current", 0.0),
            new EventRecord(2, UplinkRig.Source, start.AddMinutes(2), "lamp_failure", EventState.Cleared, Fleet.Contracts.EventSeverity.Major, "Lamp draws current again", null, null),
            new EventRecord(3, UplinkRig.Source, start.AddMinutes(2), "door_opened", EventState.Occurred, Fleet.Contracts.EventSeverity.Info, "Door opened with a key", null, null),
        }));
    }

    [Test]
    public void Health_is_a_retained_health_report_with_uptime_reset_cause_safe_mode_memory_and_outbox()
    {
        var rig = new UplinkRig(resetCause: ResetCause.Watchdog);
        rig.Uplink.SafeModeReason = "safe mode: three watchdog resets in ten minutes";
        rig.Uplink.Poll();
        rig.Time.Advance(TimeSpan.FromSeconds(89));
        rig.Link.Accepting = false;
        rig.Uplink.ReportPoint("lamp_current", 0.43, "A", "current", PointQuality.Good);
        rig.Uplink.Poll();
        rig.Link.Accepting = true;
        rig.Step(TimeSpan.FromSeconds(1));

        var message = rig.Link.On(rig.Topic("/health")).Last();
        var health = Read(message, ContractsJson.Default.HealthReport);
        Assert.That(message.Retain, Is.True);
        Assert.That(health.SourceId, Is.EqualTo(UplinkRig.Source));
        Assert.That(health.SoftwareVersion, Is.EqualTo("1.4.2"));
        Assert.That(health.UptimeSeconds, Is.EqualTo(90));
        Assert.That(health.Origin, Is.EqualTo(ConfigurationOrigin.Local));
        Assert.That((health.Process.WorkingSetBytes, health.Process.GcHeapBytes), Is.EqualTo((81_920L, 20_480L)));
        var self = health.Devices.Single();
        Assert.That(self.Verdict, Is.EqualTo(HealthVerdict.Degraded));
        Assert.That(self.Reasons, Is.EqualTo(new[] { "last reset: watchdog (the firmware hung)", "safe mode: three watchdog resets in ten minutes" }));
        var telemetry = health.Outbox.Single(o => o.Stream == Streams.Telemetry);
        Assert.That((telemetry.Depth, telemetry.LastSeq), Is.EqualTo((1L, 1L)));
        Assert.That(health.Uplink.Connected, Is.True);
        Assert.That(health.Uplink.LastError, Does.Contain("was not handed to the broker"));
    }

    [Test]
    public void A_desired_configuration_naming_this_device_is_applied_and_reported()
    {
        var rig = Connected();
        var settings = new RecordingSettings();
        rig.Uplink.SetConfigurationHandler(settings);

        rig.Link.Deliver(rig.Topic("/desired"), """
            {"version":3,"updatedAt":"2026-11-29T00:59:00Z","configuration":{"buses":[],"devices":[
              {"id":"OTHER-1","dimLevel":10},
              {"dimLevel":40,"id":"POLE-0001","schedule":"dusk-dawn","tiltAlarm":true}],"profiles":[]}}
            """);
        rig.Step(TimeSpan.FromSeconds(1));

        Assert.That(settings.Applied, Is.EqualTo(new[] { "dimLevel=the number 40", "schedule=the string \"dusk-dawn\"", "tiltAlarm=true" }));
        var reported = Read(rig.Link.On(rig.Topic("/reported")).Last(), ContractsJson.Default.ReportedState);
        Assert.That(reported.SoftwareVersion, Is.EqualTo("1.4.2"));
        Assert.That((reported.Origin, reported.AppliedVersion), Is.EqualTo((ConfigurationOrigin.Fleet, (long?)3)));
        Assert.That(reported.LastDesired, Is.Not.Null);
        Assert.That((reported.LastDesired!.Version, reported.LastDesired.Status), Is.EqualTo(((long?)3, Fleet.Contracts.ConfigurationStatus.Applied)));
        Assert.That(reported.LastDesired.Errors, Is.Empty);
    }

    [Test]
    public void A_desired_configuration_with_a_bad_setting_is_refused_whole_naming_the_key()
    {
        var rig = Connected();
        var settings = new RecordingSettings();
        rig.Uplink.SetConfigurationHandler(settings);

        rig.Link.Deliver(rig.Topic("/desired"), """{"version":4,"updatedAt":"2026-11-29T00:59:00Z","configuration":{"devices":[{"id":"POLE-0001","dimLevel":140,"schedule":"dusk-dawn","nested":{"a":1}}]}}""");
        rig.Step(TimeSpan.FromSeconds(1));

        Assert.That(settings.Applied, Is.Empty);
        var reported = Read(rig.Link.On(rig.Topic("/reported")).Last(), ContractsJson.Default.ReportedState);
        Assert.That(reported.AppliedVersion, Is.Null);
        Assert.That(reported.LastDesired!.Status, Is.EqualTo(Fleet.Contracts.ConfigurationStatus.Refused));
        Assert.That(reported.LastDesired.Errors, Is.EqualTo(new[]
        {
            "devices[0].nested: expected a single value (string, number or true/false), found an object",
            "dimLevel: expected 0 to 100, found the number 140",
        }));
    }

    [Test]
    public void A_desired_configuration_without_this_device_is_refused_and_a_withdrawn_one_restores_the_defaults()
    {
        var rig = Connected();
        var settings = new RecordingSettings();
        rig.Uplink.SetConfigurationHandler(settings);

        rig.Link.Deliver(rig.Topic("/desired"), """{"version":5,"updatedAt":"2026-11-29T00:59:00Z","configuration":{"devices":[{"id":"OTHER-1"}]}}""");
        rig.Step(TimeSpan.FromSeconds(1));
        var refused = Read(rig.Link.On(rig.Topic("/reported")).Last(), ContractsJson.Default.ReportedState);
        Assert.That(refused.LastDesired!.Errors, Is.EqualTo(new[] { "devices: expected an entry with id 'POLE-0001' (this device), found none" }));

        rig.Link.Deliver(rig.Topic("/desired"), """{"version":6,"updatedAt":"2026-11-29T00:59:00Z","configuration":null}""");
        rig.Step(TimeSpan.FromSeconds(1));
        var withdrawn = Read(rig.Link.On(rig.Topic("/reported")).Last(), ContractsJson.Default.ReportedState);
        Assert.That(settings.Restored, Is.EqualTo(1));
        Assert.That((withdrawn.Origin, withdrawn.AppliedVersion, withdrawn.LastDesired!.Status), Is.EqualTo((ConfigurationOrigin.Local, (long?)null, Fleet.Contracts.ConfigurationStatus.Applied)));
    }

    [Test]
    public void A_desired_version_already_handled_is_not_applied_again()
    {
        var rig = Connected();
        var settings = new RecordingSettings();
        rig.Uplink.SetConfigurationHandler(settings);
        const string Desired = """{"version":3,"updatedAt":"2026-11-29T00:59:00Z","configuration":{"devices":[{"id":"POLE-0001","dimLevel":40}]}}""";

        rig.Link.Deliver(rig.Topic("/desired"), Desired);
        rig.Step(TimeSpan.FromSeconds(1));
        rig.Link.Deliver(rig.Topic("/desired"), Desired);
        rig.Step(TimeSpan.FromSeconds(1));

        Assert.That(settings.Applied, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_command_is_executed_and_answered_on_its_response_topic_with_its_correlation_data()
    {
        var rig = Connected();
        var dim = new DimHandler();
        rig.Uplink.RegisterCommand("dim", dim);
        var correlation = Encoding.UTF8.GetBytes("cmd-1");

        rig.Link.Deliver(rig.Topic("/commands"), """{"id":"cmd-1","target":"POLE-0001","name":"dim","arguments":{"level":40},"expiresAt":"2026-11-29T01:10:00Z"}""", rig.Topic("/results"), correlation);
        rig.Step(TimeSpan.FromSeconds(1));

        var message = rig.Link.On(rig.Topic("/results")).Single();
        Assert.That(message.CorrelationData, Is.EqualTo(correlation));
        var result = Read(message, CommandsJson.Default.CommandResult);
        Assert.That((result.Id, result.Target, result.Status, result.Reason), Is.EqualTo(("cmd-1", UplinkRig.Source, CommandStatus.Succeeded, (string?)null)));
        Assert.That(result.Result!.Value.GetRawText(), Is.EqualTo("""{"level":40,"unit":"%"}"""));
        Assert.That(result.CompletedAt, Is.EqualTo(rig.Time.GetUtcNow()));
        Assert.That(dim.Levels, Is.EqualTo(new[] { 40.0 }));
    }

    [Test]
    public void A_command_arriving_twice_is_executed_once_and_answered_twice_the_same()
    {
        var rig = Connected();
        var dim = new DimHandler();
        rig.Uplink.RegisterCommand("dim", dim);
        const string Command = """{"id":"cmd-2","target":"POLE-0001","name":"dim","arguments":{"level":10},"expiresAt":"2026-11-29T01:10:00Z"}""";

        rig.Link.Deliver(rig.Topic("/commands"), Command, rig.Topic("/results"), "cmd-2"u8.ToArray());
        rig.Step(TimeSpan.FromSeconds(1));
        rig.Link.Deliver(rig.Topic("/commands"), Command, rig.Topic("/results"), "cmd-2"u8.ToArray());
        rig.Step(TimeSpan.FromSeconds(1));

        Assert.That(dim.Levels, Has.Count.EqualTo(1));
        var answers = rig.Link.On(rig.Topic("/results")).Select(m => m.Text).ToList();
        Assert.That(answers, Has.Count.EqualTo(2));
        Assert.That(answers[1], Is.EqualTo(answers[0]));
    }

    [TestCase("""{"id":"c","target":"POLE-0001","name":"reboot","arguments":{},"expiresAt":"2026-11-29T01:10:00Z"}""", CommandStatus.Rejected, "name: expected one of dim, found 'reboot'")]
    [TestCase("""{"id":"c","target":"LAMP-9","name":"dim","arguments":{"level":1},"expiresAt":"2026-11-29T01:10:00Z"}""", CommandStatus.UnknownTarget, "target: expected 'POLE-0001' (this device), found 'LAMP-9'")]
    [TestCase("""{"id":"c","target":"POLE-0001","name":"dim","arguments":{"level":1},"expiresAt":"2026-11-29T00:10:00Z"}""", CommandStatus.Expired, "arrived after its expiry")]
    [TestCase("""{"id":"c","target":"POLE-0001","name":"dim","arguments":{"level":[1]},"expiresAt":"2026-11-29T01:10:00Z"}""", CommandStatus.Rejected, "arguments.level: expected a single value (string, number or true/false), found an array")]
    [TestCase("""{"id":"c","target":"POLE-0001","name":"dim","arguments":{"level":140},"expiresAt":"2026-11-29T01:10:00Z"}""", CommandStatus.Rejected, "level: expected 0 to 100, found 140")]
    [TestCase("""{"id":"c","target":"POLE-0001","name":"dim","arguments":{"level":1},"expiresAt":"tomorrow"}""", CommandStatus.Rejected, "command: expected an ISO 8601 instant such as \"2026-11-29T01:24:34Z\", found the string \"tomorrow\" at offset 80")]
    public void A_command_that_cannot_run_is_answered_with_why(string command, CommandStatus status, string reason)
    {
        var rig = Connected();
        var dim = new DimHandler();
        rig.Uplink.RegisterCommand("dim", dim);

        rig.Link.Deliver(rig.Topic("/commands"), command, rig.Topic("/results"), "c"u8.ToArray());
        rig.Step(TimeSpan.FromSeconds(1));

        var result = Read(rig.Link.On(rig.Topic("/results")).Single(), CommandsJson.Default.CommandResult);
        Assert.That((result.Status, result.Reason, result.Result), Is.EqualTo((status, reason, (JsonElement?)null)));
        Assert.That(dim.Levels, Is.Empty);
    }

    private sealed class RecordingSettings : IConfigurationHandler
    {
        public List<string> Applied { get; } = [];

        public int Restored { get; private set; }

        public string? Check(string name, ScalarValue value) => name switch
        {
            "dimLevel" when value.Kind != ScalarKind.Number || value.Number is < 0 or > 100 => "expected 0 to 100, found " + value.Describe(),
            _ => null,
        };

        public void Apply(string name, ScalarValue value) => Applied.Add(name + "=" + value.Describe());

        public void RestoreDefaults() => Restored++;
    }

    private sealed class DimHandler : ICommandHandler
    {
        public List<double> Levels { get; } = [];

        public void Execute(CommandArguments arguments, CommandResponse response)
        {
            if (!arguments.TryGetNumber("level", out var level) || level is < 0 or > 100)
            {
                response.Reject("level: expected 0 to 100, found " + (arguments.Find("level")?.Describe() ?? "none").Replace("the number ", "", StringComparison.Ordinal));
                return;
            }

            Levels.Add(level);
            response.Succeed();
            response.Number("level", level);
            response.Text("unit", "%");
        }
    }
}
