using System.Threading.Channels;
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

        var reading = await poller.PollAsync(CancellationToken.None);

        Assert.That(_master.Reads.Select(r => (r.Table, r.Address, r.Count)),
            Is.EquivalentTo(poller.Blocks.Select(b => (b.Table, b.Address, b.Count))));
        Assert.That(_master.Reads, Has.Count.EqualTo(3), "voltage and current share one read; energy and the set-point need their own");
        Assert.That(_master.Reads.Select(r => r.Unit), Has.All.EqualTo(7));
        Assert.That(reading, Is.Not.Null);
        Assert.That(reading!.Points.Select(p => (p.Name, p.Value, p.Quality)), Is.EqualTo(new[]
        {
            ("voltage", 230.5, Quality.Good),
            ("current", 5.25, Quality.Good),
            ("energy", 1234.5, Quality.Good),
            ("setpoint", 1152.5, Quality.Good),
        }));
        Assert.That((reading.DeviceId, reading.Model, reading.Timestamp), Is.EqualTo(("mtr-1", (string?)MeterModel, TestReadings.Start)));
    }

    [Test]
    public async Task A_poll_whose_reads_all_fail_yields_no_reading_and_is_counted()
    {
        _master.Fault = (_, _, _) => Timeout;
        var poller = Poller(MeterProfile());

        var reading = await poller.PollAsync(CancellationToken.None);

        Assert.That(reading, Is.Null);
        Assert.That((poller.Polls, poller.FailedPolls), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public async Task When_one_read_fails_only_its_points_are_left_out()
    {
        _master.Fault = (table, address, _) => table == RegisterTable.InputRegisters && address == 0x0156 ? Timeout : null;
        var poller = Poller(MeterProfile());

        var reading = await poller.PollAsync(CancellationToken.None);

        Assert.That(reading!.Points.Select(p => p.Name), Is.EqualTo(new[] { "voltage", "current", "setpoint" }));
        Assert.That(reading.Points.Select(p => p.Quality), Has.None.EqualTo(Quality.CommError));
        Assert.That(reading.Points.Select(p => p.Value), Has.None.NaN);
        Assert.That(poller.FailedPolls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_device_that_answers_again_yields_readings_again()
    {
        var poller = Poller(MeterProfile());
        _master.Fault = (_, _, _) => Timeout;
        await poller.PollAsync(CancellationToken.None);
        await poller.PollAsync(CancellationToken.None);

        _master.Fault = null;
        var reading = await poller.PollAsync(CancellationToken.None);

        Assert.That(reading!.Points, Has.Count.EqualTo(4));
        Assert.That((poller.Polls, poller.FailedPolls), Is.EqualTo((3L, 2L)));
    }

    [Test]
    public async Task A_point_whose_value_is_not_a_number_is_left_out_while_the_others_are_kept()
    {
        _master.Set(RegisterTable.InputRegisters, 2, double.NaN, RegisterDataType.Float32);
        var poller = Poller(MeterProfile());

        var reading = await poller.PollAsync(CancellationToken.None);

        Assert.That(reading!.Points.Select(p => p.Name), Is.EqualTo(new[] { "voltage", "energy", "setpoint" }));
        Assert.That(poller.FailedPolls, Is.Zero);
    }

    [Test]
    public async Task Running_polls_at_once_and_then_every_interval()
    {
        var poller = Poller(MeterProfile(), TimeSpan.FromSeconds(5));
        var readings = Channel.CreateUnbounded<DeviceReading>();
        using var stop = new CancellationTokenSource();
        var running = poller.RunAsync(readings.Writer, stop.Token);

        var first = await readings.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);
        Assert.That(readings.Reader.TryRead(out _), Is.False, "nothing more before the interval has passed");
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = await readings.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

        await stop.CancelAsync();
        await running.WaitAsync(Wait.Limit);
        Assert.That(second.Timestamp - first.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(running.IsCompletedSuccessfully, Is.True, "cancellation ends the loop quietly");
    }

    private DevicePoller Poller(CivicEdge.Hardware.DeviceProfile profile, TimeSpan? interval = null) =>
        new("mtr-1", profile, 7, interval ?? profile.PollInterval, _master, _time, NullLogger<DevicePoller>.Instance);

    private static CivicEdge.Hardware.DeviceProfile MeterProfile() => Profile(
        TimeSpan.FromSeconds(1),
        Point("voltage", 0, RegisterDataType.Float32, min: 0, max: 300),
        Point("current", 2, RegisterDataType.Float32, unit: "A", quantity: "current"),
        Point("energy", 0x0156, RegisterDataType.Float32, unit: "kWh", quantity: "active_energy"),
        Point("setpoint", 10, RegisterDataType.Int16, RegisterTable.HoldingRegisters, scale: 0.5));
}
