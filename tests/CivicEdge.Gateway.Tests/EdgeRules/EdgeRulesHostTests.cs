using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Commands;
using CivicEdge.Gateway.EdgeRules;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Solar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Gateway.Tests.EdgeRules;

/// <summary>
/// Edge rules as the host composes them: an SLC-1 lamp controller served by a Modbus TCP slave on a free loopback port,
/// polled by the real acquisition, the shipped rule templates, the outbox; the gateway's clock is a fake one that the
/// test moves on (the bus itself keeps real time, so its timeouts do not depend on the steps).
/// </summary>
[Category("Integration")]
public sealed class EdgeRulesHostTests
{
    private const string Lamp = "pole-0001-lamp";
    private const ushort LampCurrent = 1;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    private TempDirectory _directory = null!;
    private RegisterBank _bank = null!;
    private ModbusTcpServer _server = null!;
    private FakeTimeProvider _time = null!;
    private IHost? _host;

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory();
        _bank = new RegisterBank();
        _bank.WriteBits(RegisterTable.Coils, 0, [true]);
        _bank.Write(RegisterTable.HoldingRegisters, 0, [100]);
        _bank.Write(RegisterTable.InputRegisters, 0, [2300, 420]);
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == 1 ? _bank : null);
        await _server.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Test]
    public async Task A_lamp_that_fails_raises_the_lamp_failure_alarm_within_two_poll_cycles_and_clears_it_when_repaired()
    {
        await StartAsync(new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero), ("Rules:Files:0", Template("pole-lamp-failure")));
        await AdvanceUntilAsync(() => Runner.ReadingsFed > 0, "the first reading fed to the rules");

        _bank.Write(RegisterTable.InputRegisters, LampCurrent, [0]);
        await AdvanceUntilAsync(() => DarkSince() is not null, "the poll that reads the lamp dark");
        var seenAt = DarkSince()!.Value;
        await AdvanceUntilAsync(() => RuleEvents().Any(e => e.State == EventState.Raised), "the lamp-failure alarm");

        var raised = RuleEvents().Single();
        Assert.That((raised.DeviceId, raised.Code, raised.Severity), Is.EqualTo((Lamp, "rule.lamp_failure", EventSeverity.Major)));
        Assert.That(raised.Message, Does.Contain("relay on but the lamp draws 0 A").And.Contain("[rule pole-lamp-failure/lamp-failure]"));
        Assert.That(raised.Timestamp - seenAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(15)).And.LessThanOrEqualTo(2 * PollInterval),
            "on the gateway's clock: held for the template's 15 s, within two poll cycles of the poll that read it");

        await AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.That(RuleEvents(), Has.Count.EqualTo(1), "raised once while the lamp stays dark");

        _bank.Write(RegisterTable.InputRegisters, LampCurrent, [420]);
        await AdvanceUntilAsync(() => RuleEvents().Any(e => e.State == EventState.Cleared), "the clear");
        Assert.That(RuleEvents().Select(e => (e.Code, e.State)), Is.EqualTo(new[]
        {
            ("rule.lamp_failure", EventState.Raised),
            ("rule.lamp_failure", EventState.Cleared),
        }));
    }

    [Test]
    public async Task An_acknowledgement_from_the_fleet_reaches_the_rule_and_is_reported_once()
    {
        await StartAsync(new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero), ("Rules:Files:0", Template("pole-lamp-failure")));
        await AdvanceUntilAsync(() => Runner.ReadingsFed > 0, "the first reading fed to the rules");
        _bank.Write(RegisterTable.InputRegisters, LampCurrent, [0]);
        await AdvanceUntilAsync(() => RuleEvents().Any(e => e.State == EventState.Raised), "the lamp-failure alarm");

        var first = await AcknowledgeAsync("rule.lamp_failure");
        var unknown = await AcknowledgeAsync("rule.door_open");
        await Wait.UntilAsync(() => RuleEvents().Count == 2, "the acknowledgement in the event stream");

        Assert.That(first.Status, Is.EqualTo(CommandStatus.Succeeded));
        Assert.That((unknown.Status, unknown.Reason), Is.EqualTo((CommandStatus.Rejected, $"alarm: expected an active edge-rule alarm of {Lamp}, found 'door_open' not active")));
        Assert.That((RuleEvents()[1].Code, RuleEvents()[1].State), Is.EqualTo(("rule.lamp_failure.acknowledged", EventState.Occurred)));
    }

    [Test]
    public async Task A_schedule_dims_the_lamp_at_sunset_and_not_before()
    {
        const double latitude = 34.75, longitude = 113.62;
        var sunset = new SolarCalculator(latitude, longitude).On(SunEvent.Sunset, new DateOnly(2026, 6, 21))!.Value;
        Assert.That(sunset.UtcDateTime.TimeOfDay, Is.EqualTo(new TimeSpan(11, 41, 0)).Within(TimeSpan.FromMinutes(2)),
            "published: sunset at Zhengzhou on 21 June 2026 at 19:41 local time (UTC+8)");
        File.WriteAllText(_directory.File("evening.yaml"), """
            schema: civicedge.rules/v1
            id: evening-dimming
            version: 1
            devices:
              lamp: { model: civicedge-slc1 }
            rules:
              - id: dim-at-sunset
                trigger: { sun: sunset, offset: 10m }
                then:
                  - write: { point: lamp.dimming_level, value: 40 }
            """);
        var dimAt = sunset + TimeSpan.FromMinutes(10);

        await StartAsync(dimAt - TimeSpan.FromSeconds(20),
            ("Rules:Files:0", _directory.File("evening.yaml")), ("Rules:Latitude", "34.75"), ("Rules:Longitude", "113.62"), ("Rules:TimeZone", "Asia/Shanghai"));
        await AdvanceUntilAsync(() => Runner.ReadingsFed > 0, "the first reading fed to the rules");
        await AdvanceAsync(dimAt - _time.GetUtcNow() - TimeSpan.FromSeconds(2));
        await Task.Delay(200);
        Assert.That(DimmingLevel(), Is.EqualTo(100), "not yet");

        await AdvanceUntilAsync(() => DimmingLevel() == 40, "the lamp dimmed to 40 %");
        Assert.That(_time.GetUtcNow(), Is.GreaterThanOrEqualTo(dimAt).And.LessThan(dimAt + TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task A_rule_write_to_a_point_the_profile_does_not_mark_writable_is_refused_and_reported()
    {
        File.WriteAllText(_directory.File("bad-write.yaml"), """
            schema: civicedge.rules/v1
            id: bad-write
            version: 1
            devices:
              lamp: { model: civicedge-slc1 }
            rules:
              - id: too-bright
                when: lamp.lamp_current > 0.1
                then:
                  - write: { point: lamp.dimming_level, value: 120 }
            """);
        await StartAsync(new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero), ("Rules:Files:0", _directory.File("bad-write.yaml")));

        await AdvanceUntilAsync(() => Runner.WritesRefused == 1, "the refused write");
        await Wait.UntilAsync(() => RuleEvents().Count == 1, "the refusal in the event stream");

        var refused = RuleEvents().Single();
        Assert.That((refused.Code, refused.State, refused.Point, refused.Value), Is.EqualTo(("rule.write_refused", EventState.Occurred, (string?)"dimming_level", (double?)120)));
        Assert.That(refused.Message, Does.Contain("expected dimming_level within 0..100 %, found 120"));
        Assert.That(DimmingLevel(), Is.EqualTo(100));
    }

    private RuleRunner Runner => _host!.Services.GetRequiredService<RuleRunner>();

    private static string Template(string name) => Path.Combine(RepositoryRoot(), "hardware", "rules", name + ".yaml");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException("No CivicEdge.slnx above the test directory.");
    }

    private async Task StartAsync(DateTimeOffset start, params (string Key, string? Value)[] rules)
    {
        _time = new FakeTimeProvider(start);
        var settings = GatewayConfigurations.Valid(Path.Combine(RepositoryRoot(), "hardware", "profiles"), _directory.File("gateway.db"),
            [("Devices:0:Id", Lamp), ("Devices:0:Profile", "civicedge-slc1"), ("Devices:0:Endpoint", $"tcp://127.0.0.1:{_server.LocalEndPoint.Port}"),
             ("Rules:Enabled", "true"), .. rules]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IModbusMasterFactory>(new ModbusMasterFactory(TimeProvider.System, NullLoggerFactory.Instance));
        builder.Services.AddSingleton<IUplinkTransport>(new FakeUplinkTransport { FailNext = int.MaxValue });
        builder.Services.AddCivicEdgeGateway(builder.Configuration, TextWriter.Null);
        _host = builder.Build();
        await _host.StartAsync();
    }

    private List<EventRecord> RuleEvents() =>
        [.. _host!.Services.GetRequiredService<Outbox>().PeekEvents(0, 1000).Where(e => e.Code.StartsWith("rule.", StringComparison.Ordinal))];

    /// <summary>When a poll first read the lamp current as zero, from the telemetry in the outbox.</summary>
    private DateTimeOffset? DarkSince() =>
        _host!.Services.GetRequiredService<Outbox>().Peek(Streams.Telemetry, 0, 1000)
            .Where(r => r.Points.Any(p => p.Name == "lamp_current" && p.Value == 0))
            .Select(r => (DateTimeOffset?)r.Timestamp)
            .FirstOrDefault();

    private int DimmingLevel()
    {
        Span<ushort> level = stackalloc ushort[1];
        _bank.Read(RegisterTable.HoldingRegisters, 0, level);
        return level[0];
    }

    private Task<CommandOutcome> AcknowledgeAsync(string alarm)
    {
        using var arguments = JsonDocument.Parse($$"""{"alarm":"{{alarm}}","by":"operator 7"}""");
        return _host!.Services.GetRequiredService<CommandExecutor>().ExecuteAsync(
            new CommandRequest("c-ack", Lamp, CommandExecutor.AcknowledgeAlarm, arguments.RootElement.Clone(), _time.GetUtcNow().AddMinutes(5)), CancellationToken.None);
    }

    /// <summary>Moves the gateway's clock on in half-second steps, letting the pollers and the rules run between them.</summary>
    private async Task AdvanceAsync(TimeSpan span)
    {
        var end = _time.GetUtcNow() + span;
        while (_time.GetUtcNow() < end)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(5);
        }
    }

    private async Task AdvanceUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait.Limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Gave up waiting: {what} (gateway clock at {_time.GetUtcNow():O}).");
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(20);
        }
    }
}
