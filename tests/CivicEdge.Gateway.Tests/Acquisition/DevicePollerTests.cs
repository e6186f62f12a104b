using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class DevicePollerTests
{
    private static readonly ModbusResult Timeout = new(ModbusOutcome.Timeout, Detail: "no answer within 1 s");

    private FakeModbusMaster _master = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _master = new FakeModbusMaster();
        _time = new FakeTimeProvider(TestReadings.Start);
        _master.Set(RegisterTable.InputRegisters, 0, 230.5, RegisterDataType.Float32);
        _master.Set(RegisterTable.InputRegisters, 2, 5.25, RegisterDataType.Float32);
        _master.Set(RegisterTable.InputRegisters, 0x0156, 1234.5, RegisterDataType.Float32);
        _master.Set(RegisterTable.HoldingRegisters, 10, 2305, RegisterDataType.Int16);
    }

    [TearDown]
    public async Task TearDown() => await _master.DisposeAsync();

    [Test]
    public async Task A_poll_makes_the_planned_reads_once_each_and_decodes_every_point_in_profile_order()
    {
        var poller = Poller(MeterProfile());

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(_master.Reads.Select(r => (r.Table, r.Address, r.Count)),
            Is.EquivalentTo(poller.Blocks.Select(b => (b.Table, b.Address, b.Count))));
        Assert.That(_master.Reads, Has.Count.EqualTo(3), "voltage and current share one read; energy and the set-point need their own");
        Assert.That(_master.Reads.Select(r => r.Unit), Has.All.EqualTo(7));
        Assert.That(poll.Values.Select(p => (p!.Name, p.Value, p.Quality)), Is.EqualTo(new[]
        {
            ("voltage", 230.5, Quality.Good),
            ("current", 5.25, Quality.Good),
            ("energy", 1234.5, Quality.Good),
            ("setpoint", 1152.5, Quality.Good),
        }));
        Assert.That((poll.Answered, poll.Timestamp), Is.EqualTo((true, TestReadings.Start)));
    }

    [Test]
    public async Task A_poll_that_gets_no_answer_has_no_values_says_so_and_is_counted()
    {
        _master.Fault = (_, _, _) => Timeout;
        var poller = Poller(MeterProfile());

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(poll.Answered, Is.False);
        Assert.That(poll.Values, Has.Count.EqualTo(4).And.All.Null);
        Assert.That((poller.Polls, poller.FailedPolls), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task When_one_read_fails_only_its_points_are_left_out()
    {
        _master.Fault = (table, address, _) => table == RegisterTable.InputRegisters && address == 0x0156
            ? new ModbusResult(ModbusOutcome.Exception, ModbusExceptionCode.ServerDeviceFailure)
            : null;
        var poller = Poller(MeterProfile());

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(Read(poll), Is.EqualTo(new[] { "voltage", "current", "setpoint" }));
        Assert.That(poll.Values[2], Is.Null, "no value is invented for the energy register");
        Assert.That(poll.Answered, Is.True, "an exception response is an answer");
        Assert.That(poller.FailedPolls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_device_that_answers_again_yields_values_again()
    {
        var poller = Poller(MeterProfile());
        _master.Fault = (_, _, _) => Timeout;
        await poller.PollAsync(CancellationToken.None);
        await poller.PollAsync(CancellationToken.None);

        _master.Fault = null;
        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(poll.Values, Has.None.Null);
        Assert.That((poller.Polls, poller.FailedPolls), Is.EqualTo((3L, 2L)));
    }

    [Test]
    public async Task A_point_whose_value_is_not_a_number_is_left_out_while_the_others_are_kept()
    {
        _master.Set(RegisterTable.InputRegisters, 2, double.NaN, RegisterDataType.Float32);
        var poller = Poller(MeterProfile());

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(Read(poll), Is.EqualTo(new[] { "voltage", "energy", "setpoint" }));
        Assert.That(poller.FailedPolls, Is.Zero);
    }

    [Test]
    public async Task A_read_that_gets_no_answer_ends_the_poll_so_a_silent_device_costs_one_timeout()
    {
        _master.Fault = (_, _, _) => Timeout;
        var poller = Poller(MeterProfile());

        await poller.PollAsync(CancellationToken.None);

        Assert.That(_master.Reads, Has.Count.EqualTo(1), "the reads after the first timeout would only time out too");
        Assert.That(poller.Counters, Has.Property(nameof(DeviceCounters.Timeouts)).EqualTo(1).And.Property(nameof(DeviceCounters.Healthy)).False);
    }

    [Test]
    public async Task An_exception_response_leaves_the_device_healthy_and_the_other_reads_go_on()
    {
        _master.Fault = (table, _, _) => table == RegisterTable.HoldingRegisters
            ? new ModbusResult(ModbusOutcome.Exception, ModbusExceptionCode.IllegalDataAddress)
            : null;
        var poller = Poller(MeterProfile());

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(Read(poll), Is.EqualTo(new[] { "voltage", "current", "energy" }));
        var counters = poller.Counters;
        Assert.That((counters.Healthy, counters.Requests, counters.Responses, counters.Exceptions, counters.Timeouts),
            Is.EqualTo((true, 3L, 2L, 1L, 0L)));
    }

    [Test]
    public async Task Counters_record_requests_outcomes_and_latency_of_answered_requests()
    {
        var slow = new FakeModbusMaster();
        slow.Bank.Write(RegisterTable.InputRegisters, 0, [1, 2, 3, 4]);
        var answers = new Queue<(TimeSpan Latency, ModbusResult Result)>(
        [
            (TimeSpan.FromMilliseconds(40), ModbusResult.Ok),
            (TimeSpan.FromMilliseconds(10), new ModbusResult(ModbusOutcome.Malformed, Detail: "CRC mismatch")),
            (TimeSpan.FromMilliseconds(20), ModbusResult.Ok),
        ]);
        slow.Fault = (_, _, _) =>
        {
            var (latency, result) = answers.Dequeue();
            _time.Advance(latency);
            return result;
        };
        var poller = new DevicePoller("mtr-1", Profile(TimeSpan.FromSeconds(1), Point("voltage", 0)), 7, TimeSpan.FromSeconds(1), slow, _time, NullLogger<DevicePoller>.Instance, busId: "rs485-1");

        Assert.That(poller.Counters.LatencyAverage, Is.Null, "no latency before the first answer");
        for (var i = 0; i < 3; i++)
            await poller.PollAsync(CancellationToken.None);

        var counters = poller.Counters;
        Assert.That((counters.BusId, counters.Polls, counters.Requests, counters.Responses, counters.CrcErrors), Is.EqualTo(("rs485-1", 3L, 3L, 2L, 1L)));
        Assert.That((counters.LatencyMin, counters.LatencyAverage, counters.LatencyMax),
            Is.EqualTo(((TimeSpan?)TimeSpan.FromMilliseconds(20), (TimeSpan?)TimeSpan.FromMilliseconds(30), (TimeSpan?)TimeSpan.FromMilliseconds(40))));
        Assert.That(counters.LastAnswer, Is.EqualTo(_time.GetUtcNow()));
    }

    [Test]
    public async Task Coils_and_status_bits_are_read_and_decoded_with_the_registers()
    {
        _master.Bank.WriteBits(RegisterTable.Coils, 0, [true, false, true]);
        _master.Bank.Write(RegisterTable.InputRegisters, 20, [0x00A1]);
        var profile = Profile(TimeSpan.FromSeconds(1),
            Point("relay", 0, table: RegisterTable.Coils, unit: "1"),
            Point("spare_relay", 2, table: RegisterTable.Coils, unit: "1"),
            Point("lamp_on", 20, unit: "1") with { Bits = new(0, 1) },
            Point("mode", 20, unit: "1") with { Bits = new(4, 4) });
        var poller = Poller(profile);

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(poll.Values.Select(p => (p!.Name, p.Value)), Is.EqualTo(new[]
        {
            ("relay", 1.0), ("spare_relay", 1.0), ("lamp_on", 1.0), ("mode", 10.0),
        }));
        Assert.That(poller.Blocks, Has.Count.EqualTo(2), "one read of coils 0..2 and one of the status register");
    }

    [Test]
    public async Task Text_points_are_not_read_as_telemetry()
    {
        var profile = Profile(TimeSpan.FromSeconds(1), Point("voltage", 0), Point("serial_number", 100) with { Length = 4 });
        var poller = Poller(profile);

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(poller.TextPoints.Select(p => p.Name), Is.EqualTo(new[] { "serial_number" }));
        Assert.That(_master.Reads.Select(r => r.Address), Is.EqualTo(new ushort[] { 0 }));
        Assert.That(Read(poll), Is.EqualTo(new[] { "voltage" }));
    }

    private static IEnumerable<string> Read(PollResult poll) => poll.Values.OfType<PointValue>().Select(v => v.Name);

    private DevicePoller Poller(CivicEdge.Hardware.DeviceProfile profile, TimeSpan? interval = null) =>
        new("mtr-1", profile, 7, interval ?? profile.PollInterval, _master, _time, NullLogger<DevicePoller>.Instance);

    private static CivicEdge.Hardware.DeviceProfile MeterProfile() => Profile(
        TimeSpan.FromSeconds(1),
        Point("voltage", 0, RegisterDataType.Float32, min: 0, max: 300),
        Point("current", 2, RegisterDataType.Float32, unit: "A", quantity: "current"),
        Point("energy", 0x0156, RegisterDataType.Float32, unit: "kWh", quantity: "active_energy"),
        Point("setpoint", 10, RegisterDataType.Int16, RegisterTable.HoldingRegisters, scale: 0.5));
}
