using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Hosting;

/// <summary>
/// The acquisition pipeline as the host composes it — scheduler, decoder, normalization, report by exception, alarms,
/// the alarm state in the gateway database — with a simulated device behind the fake bus, watched where its readings
/// and events are handed to the outbox.
/// </summary>
[Category("Integration")]
public sealed class AcquisitionPipelineHostTests
{
    private const string StationYaml = """
        schema: civicedge.profile/v1
        model: test-station
        manufacturer: CivicEdge
        protocol: modbus
        pollInterval: 50ms
        points:
          - name: voltage
            quantity: voltage
            table: input
            address: 0
            type: float32
            unit: V
            min: 0
            max: 300
            deadband: 0.5
            alarms:
              high: { value: 253, hysteresis: 2, severity: major, message: Over-voltage }
          - name: frequency
            quantity: frequency
            table: input
            address: 2
            type: float32
            unit: Hz
            maxSilence: 200ms
          - name: energy
            quantity: active_energy
            table: input
            address: 4
            type: uint32
            unit: Wh
            billing: true
        """;

    private static readonly ModbusResult NoAnswer = new(ModbusOutcome.Timeout, Detail: "no answer within 1 s");

    private TempDirectory _directory = null!;
    private FakeModbusMasterFactory _masters = null!;
    private RecordingChannelWriter<DeviceReading> _readings = null!;
    private RecordingChannelWriter<DeviceEvent> _events = null!;
    private IHost _host = null!;
    private FakeModbusMaster _device = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        File.WriteAllText(_directory.File("test-station.yaml"), StationYaml);
        _masters = new FakeModbusMasterFactory();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _device.DisposeAsync();
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Billing_registers_go_to_the_billing_stream_in_their_canonical_unit_and_the_rest_to_telemetry()
    {
        await StartAsync(voltage: 230, frequency: 50, energyWh: 1_234_567);

        await Wait.UntilAsync(() => _readings.Written.Count >= 2, "the first readings");

        var first = _readings.Written.Take(2).ToList();
        Assert.That(first.Select(r => r.Stream), Is.EqualTo(new[] { Streams.Telemetry, Streams.Billing }));
        Assert.That(first[0].Points.Select(p => (p.Name, p.Value, p.Unit)), Is.EqualTo(new[] { ("voltage", 230.0, "V"), ("frequency", 50.0, "Hz") }));
        Assert.That(first[1].Points.Select(p => (p.Name, p.Value, p.Unit, p.Quality)), Is.EqualTo(new[] { ("energy", 1234.567, "kWh", Quality.Good) }),
            "the meter counts Wh; the fleet gets kWh");
        Assert.That(first.Select(r => (r.DeviceId, r.Model, r.Timestamp)).Distinct().Count(), Is.EqualTo(1), "both from the same poll");
    }

    [Test]
    public async Task A_change_within_the_deadband_is_not_reported_and_one_beyond_it_is()
    {
        await StartAsync(voltage: 230, frequency: 50, energyWh: 1000);
        await Wait.UntilAsync(() => Reports("voltage").Count == 1, "the first voltage");

        Set(0, 230.25);
        await PollsAsync(5);
        Assert.That(Reports("voltage").Select(p => p.Value), Is.EqualTo(new[] { 230.0 }), "0.25 V is within the 0.5 V deadband");

        Set(0, 230.75);
        await Wait.UntilAsync(() => Reports("voltage").Count == 2, "the voltage beyond the deadband");
        Assert.That(Reports("voltage").Select(p => p.Value), Is.EqualTo(new[] { 230.0, 230.75 }), "measured from the value last reported");
    }

    [Test]
    public async Task A_value_that_does_not_move_is_reported_again_once_its_maximum_silence_has_passed()
    {
        await StartAsync(voltage: 230, frequency: 50, energyWh: 1000);

        await Wait.UntilAsync(() => Times("frequency").Count >= 3, "three reports of an unchanging frequency");

        var times = Times("frequency");
        Assert.That(times.Zip(times.Skip(1), (a, b) => b - a), Has.All.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200)));
        Assert.That(Reports("voltage"), Has.Count.EqualTo(1), "a point without a maximum silence is reported only when it moves");
        Assert.That(_readings.Written.Where(r => r.Points.Any(p => p.Name == "frequency")).Select(r => r.Points.Count), Has.All.EqualTo(1).Or.EqualTo(2),
            "a reading carries only the points due");
    }

    [Test]
    public async Task Crossing_a_limit_raises_one_alarm_and_coming_back_past_the_hysteresis_clears_it()
    {
        await StartAsync(voltage: 230, frequency: 50, energyWh: 1000);
        await Wait.UntilAsync(() => Reports("voltage").Count == 1, "the first voltage");

        Set(0, 255);
        await Wait.UntilAsync(() => _events.Written.Count == 1, "the alarm");
        Set(0, 252);
        await PollsAsync(5);
        Assert.That(_events.Written, Has.Count.EqualTo(1), "raised once; 252 V is inside the limit but not by the 2 V hysteresis");

        Set(0, 250.5);
        await Wait.UntilAsync(() => _events.Written.Count == 2, "the clear");
        var events = _events.Written;
        Assert.That(events.Select(e => (e.DeviceId, e.Code, e.State, e.Severity, e.Point, e.Value)), Is.EqualTo(new[]
        {
            ("stn-1", "voltage.high", EventState.Raised, EventSeverity.Major, (string?)"voltage", (double?)255),
            ("stn-1", "voltage.high", EventState.Cleared, EventSeverity.Major, (string?)"voltage", (double?)250.5),
        }));
        Assert.That(events[0].Message, Is.EqualTo("Over-voltage"));
    }

    [Test]
    public async Task A_device_that_stops_answering_reports_each_point_once_as_comm_error_and_raises_comm_lost_until_it_answers()
    {
        await StartAsync(voltage: 230, frequency: 50, energyWh: 1000);
        await Wait.UntilAsync(() => _readings.Written.Count >= 2, "the first readings");

        _device.Fault = (_, _, _) => NoAnswer;
        await Wait.UntilAsync(() => _events.Written.Any(e => e.Code == AlarmMonitor.CommLostCode), "comm_lost");
        await Wait.UntilAsync(() => Poller().ConsecutiveUnansweredPolls >= 3, "more unanswered polls");

        var lost = _events.Written.Single();
        Assert.That((lost.Code, lost.State, lost.Severity), Is.EqualTo((AlarmMonitor.CommLostCode, EventState.Raised, EventSeverity.Major)));
        var commError = _readings.Written.SelectMany(r => r.Points.Select(p => (r.Stream, p.Name, p.Value, p.Quality))).Where(p => p.Quality == Quality.CommError).ToList();
        Assert.That(commError, Is.EquivalentTo(new[]
        {
            (Streams.Telemetry, "voltage", 230.0, Quality.CommError),
            (Streams.Telemetry, "frequency", 50.0, Quality.CommError),
            (Streams.Billing, "energy", 1.0, Quality.CommError),
        }), "every point once, with its last value, however many polls go unanswered");

        _device.Fault = null;
        await Wait.UntilAsync(() => _events.Written.Count == 2, "comm_lost cleared");
        await Wait.UntilAsync(() => Reports("voltage").LastOrDefault()?.Quality == Quality.Good, "good values again");
        Assert.That((_events.Written[1].Code, _events.Written[1].State), Is.EqualTo((AlarmMonitor.CommLostCode, EventState.Cleared)));
    }

    [Test]
    public async Task An_alarm_standing_when_the_gateway_stops_is_not_raised_again_after_a_restart()
    {
        await StartAsync(voltage: 255, frequency: 50, energyWh: 1000);
        await Wait.UntilAsync(() => _events.Written.Count == 1, "the alarm");
        await _host.StopAsync();
        _host.Dispose();

        _masters = new FakeModbusMasterFactory();
        await StartAsync(voltage: 256, frequency: 50, energyWh: 1000);
        await PollsAsync(5);
        Assert.That(_events.Written, Is.Empty, "the alarm still stands; the fleet has it already");

        Set(0, 240);
        await Wait.UntilAsync(() => _events.Written.Count == 1, "the clear");
        Assert.That((_events.Written[0].Code, _events.Written[0].State), Is.EqualTo(("voltage.high", EventState.Cleared)));
    }

    private async Task StartAsync(double voltage, double frequency, uint energyWh)
    {
        var settings = GatewayConfigurations.Valid(_directory.Path, _directory.File("gateway.db"),
            ("Devices:0:Id", "stn-1"), ("Devices:0:Profile", "test-station"));
        _masters.Prepare = master =>
        {
            master.Set(RegisterTable.InputRegisters, 0, voltage, RegisterDataType.Float32);
            master.Set(RegisterTable.InputRegisters, 2, frequency, RegisterDataType.Float32);
            master.Set(RegisterTable.InputRegisters, 4, energyWh, RegisterDataType.UInt32);
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IModbusMasterFactory>(_masters);
        var transport = new FakeUplinkTransport { FailNext = int.MaxValue };
        builder.Services.AddSingleton<IUplinkTransport>(transport);
        builder.Services.AddCivicEdgeGateway(builder.Configuration, TextWriter.Null);
        _readings = Record<DeviceReading>(builder.Services);
        _events = Record<DeviceEvent>(builder.Services);
        _host = builder.Build();

        await _host.StartAsync();
        _device = _masters.Masters.Values.Single();
    }

    /// <summary>Replaces the writer the acquisition hands its output to with one that passes it on and keeps a copy.</summary>
    private static RecordingChannelWriter<T> Record<T>(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ChannelWriter<T>));
        var recording = new RecordingChannelWriter<T>((ChannelWriter<T>)registered.ImplementationInstance!);
        services.AddSingleton<ChannelWriter<T>>(recording);
        return recording;
    }

    private void Set(ushort address, double value) => _device.Set(RegisterTable.InputRegisters, address, value, RegisterDataType.Float32);

    private DevicePoller Poller() => _host.Services.GetRequiredService<AcquisitionService>().Pollers.Single();

    private async Task PollsAsync(int count)
    {
        var target = Poller().Polls + count;
        await Wait.UntilAsync(() => Poller().Polls >= target, $"{count} more polls");
    }

    private List<PointValue> Reports(string point) =>
        [.. _readings.Written.SelectMany(r => r.Points).Where(p => p.Name == point)];

    private List<DateTimeOffset> Times(string point) =>
        [.. _readings.Written.Where(r => r.Points.Any(p => p.Name == point)).Select(r => r.Timestamp)];
}
