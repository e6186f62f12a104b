using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Logging.Abstractions;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class BusSchedulerTests
{
    private static readonly ModbusLink SerialBus = new("rs485-1", BusKind.Rtu, null, new SerialLine("/dev/ttyS0", 9600, 'E', 8, 1));
    private static readonly ModbusLink SecondSerialBus = new("rs485-2", BusKind.RtuOverTcp, new DeviceEndpoint("192.0.2.20", 4001), null);
    private static readonly ModbusLink TcpBus = ModbusLink.Tcp(new DeviceEndpoint("192.0.2.10", 502));

    private SteppingTimeProvider _time = null!;
    private TransactionLog _log = null!;
    private Channel<DeviceReading> _readings = null!;
    private Channel<DeviceEvent> _events = null!;
    private CancellationTokenSource _stop = null!;
    private readonly List<Task> _running = [];

    [SetUp]
    public void SetUp()
    {
        _time = new SteppingTimeProvider(TestReadings.Start);
        _log = new TransactionLog();
        _readings = Channel.CreateUnbounded<DeviceReading>();
        _events = Channel.CreateUnbounded<DeviceEvent>();
        _stop = new CancellationTokenSource();
        _running.Clear();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(Wait.Limit);
        _stop.Dispose();
    }

    [Test]
    public async Task Running_polls_at_once_and_then_every_interval()
    {
        var master = new FakeBusMaster(TcpBus.Id, _log, _time) { TransactionTime = TimeSpan.Zero };
        // The value never moves: a maximum silence of one interval makes every poll report it.
        var device = Device("mtr-1", 1, master, TimeSpan.FromSeconds(5), maxSilence: TimeSpan.FromSeconds(5));
        Start(new BusScheduler(TcpBus, [device], _time, NullLogger<BusScheduler>.Instance));

        var first = await _readings.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);
        Assert.That(_readings.Reader.TryRead(out _), Is.False, "nothing more before the interval has passed");
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = await _readings.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

        Assert.That(second.Timestamp - first.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(5)));
        await _stop.CancelAsync();
        await _running[0].WaitAsync(Wait.Limit);
        Assert.That(_running[0].IsCompletedSuccessfully, Is.True, "cancellation ends the loop quietly");
    }

    [Test]
    public async Task A_serial_bus_carries_one_transaction_at_a_time_while_separate_buses_overlap()
    {
        var first = new FakeBusMaster(SerialBus.Id, _log, _time);
        var second = new FakeBusMaster(SecondSerialBus.Id, _log, _time);
        // Each bus's transaction completes only once the other bus has one in flight too: were the buses serialized
        // against each other, this would never happen and the wait below would give up.
        first.During = () => Wait.UntilAsync(() => _log.InFlight(SecondSerialBus.Id) > 0 || _log.MaxInFlightOverall > 1, "a transaction on the second bus");
        second.During = () => Wait.UntilAsync(() => _log.InFlight(SerialBus.Id) > 0 || _log.MaxInFlightOverall > 1, "a transaction on the first bus");
        Start(new BusScheduler(SerialBus, [Device("a", 1, first), Device("b", 2, first), Device("c", 3, first)], _time, NullLogger<BusScheduler>.Instance));
        Start(new BusScheduler(SecondSerialBus, [Device("d", 4, second), Device("e", 5, second)], _time, NullLogger<BusScheduler>.Instance));

        await DriveUntil(() => _log.Count(1) >= 5 && _log.Count(4) >= 5, lanes: 2);

        Assert.That(_log.MaxInFlight(SerialBus.Id), Is.EqualTo(1), "never two transactions at once on one serial bus");
        Assert.That(_log.MaxInFlight(SecondSerialBus.Id), Is.EqualTo(1), "a converter's serial bus is half duplex too");
        Assert.That(_log.MaxInFlightOverall, Is.EqualTo(2), "the two buses worked in parallel");
        Assert.That(new byte[] { 1, 2, 3 }.Select(_log.Count), Has.All.GreaterThanOrEqualTo(4), "every device on the bus had its turns");
    }

    [Test]
    public async Task Devices_on_a_tcp_bus_are_polled_in_parallel()
    {
        var master = new FakeBusMaster(TcpBus.Id, _log, _time);
        master.During = () => Wait.UntilAsync(() => _log.MaxInFlightOverall >= 2, "a second transaction in flight");
        Start(new BusScheduler(TcpBus, [Device("a", 1, master), Device("b", 2, master)], _time, NullLogger<BusScheduler>.Instance));

        await DriveUntil(() => _log.Count(1) >= 2 && _log.Count(2) >= 2, lanes: 2);

        Assert.That(_log.MaxInFlight(TcpBus.Id), Is.EqualTo(2));
    }

    [Test]
    public async Task Of_the_devices_due_together_the_higher_priority_goes_first()
    {
        var master = new FakeBusMaster(SerialBus.Id, _log, _time);
        Start(new BusScheduler(SerialBus,
            [
                Device("low", 1, master, priority: DevicePriority.Low),
                Device("normal", 2, master),
                Device("high", 3, master, priority: DevicePriority.High),
            ],
            _time, NullLogger<BusScheduler>.Instance));

        await DriveUntil(() => _log.Started.Count >= 3);

        Assert.That(_log.Started.Take(3).Select(s => s.Unit), Is.EqualTo(new byte[] { 3, 2, 1 }));
    }

    [Test]
    public async Task A_busy_high_priority_device_does_not_starve_a_low_priority_one()
    {
        var master = new FakeBusMaster(SerialBus.Id, _log, _time) { TransactionTime = TimeSpan.FromMilliseconds(100) };
        // The high-priority device alone would fill the bus: it is due again before each of its polls ends.
        Start(new BusScheduler(SerialBus,
            [
                Device("busy", 1, master, TimeSpan.FromMilliseconds(50), DevicePriority.High),
                Device("patient", 2, master, TimeSpan.FromSeconds(1), DevicePriority.Low),
            ],
            _time, NullLogger<BusScheduler>.Instance));

        await DriveUntil(() => _time.GetUtcNow() - TestReadings.Start >= TimeSpan.FromSeconds(10));

        Assert.That(_log.Count(2), Is.GreaterThanOrEqualTo(4), "the low-priority device still gets polled at least every other interval");
        Assert.That(_log.Count(1), Is.GreaterThan(_log.Count(2)), "the high-priority device gets most of the bus");
    }

    [Test]
    public async Task A_silent_device_is_backed_off_and_marked_unhealthy_while_the_rest_of_the_bus_keeps_its_rate()
    {
        var master = new FakeBusMaster(SerialBus.Id, _log, _time);
        master.Silent.Add(1);
        var silent = Device("silent", 1, master);
        var answering = Device("answering", 2, master);
        Start(new BusScheduler(SerialBus, [silent, answering], _time, NullLogger<BusScheduler>.Instance));

        await DriveUntil(() => _time.GetUtcNow() - TestReadings.Start >= TimeSpan.FromSeconds(60));

        // Without back-off the silent device would cost a 1 s timeout every 1 s interval and take half the bus.
        Assert.That(_log.Count(1), Is.EqualTo(6), "attempts at 0, 2, 5, 10, 19 and 36 s: each wait twice the one before");
        Assert.That(_log.Count(2), Is.GreaterThanOrEqualTo(50), "the answering device keeps close to one poll a second");
        Assert.That((silent.Healthy, answering.Healthy), Is.EqualTo((false, true)));
        Assert.That(silent.Counters.Timeouts, Is.EqualTo(_log.Count(1)), "one timeout per attempt, not one per read or retry");
        Assert.That(silent.Counters.NextPoll, Is.GreaterThan(_time.GetUtcNow()));
        Assert.That(master.Disposals, Is.Zero, "the silent device never resets the link the others use");
    }

    [Test]
    public async Task A_device_that_answers_again_is_healthy_and_back_to_its_interval()
    {
        var master = new FakeBusMaster(SerialBus.Id, _log, _time);
        master.Silent.Add(1);
        var device = Device("flaky", 1, master);
        Start(new BusScheduler(SerialBus, [device], _time, NullLogger<BusScheduler>.Instance));
        await DriveUntil(() => device.ConsecutiveUnansweredPolls >= 3);

        master.Silent.Clear();
        await DriveUntil(() => device.Healthy);
        var answered = _log.Count(1);
        await DriveUntil(() => _log.Count(1) >= answered + 5);

        var starts = _log.Started.Skip(answered - 1).Select(s => s.Start).ToList();
        Assert.That(starts.Zip(starts.Skip(1), (a, b) => b - a), Has.All.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [TestCase(1, 5)]
    [TestCase(2, 10)]
    [TestCase(3, 20)]
    [TestCase(5, 60)]
    [TestCase(40, 60)]
    public void Backoff_doubles_from_the_interval_up_to_a_cap(long unanswered, int seconds) =>
        Assert.That(BusScheduler.Backoff(TimeSpan.FromSeconds(5), unanswered), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void Backoff_never_polls_more_often_than_the_interval() =>
        Assert.That(BusScheduler.Backoff(TimeSpan.FromMinutes(5), 3), Is.EqualTo(TimeSpan.FromMinutes(5)));

    [Test]
    public async Task Alarms_go_to_the_events_channel_and_are_recorded_as_standing_once_handed_on()
    {
        var master = new FakeModbusMaster();
        master.Bank.Write(RegisterTable.InputRegisters, 0, [150]);
        var store = new InMemoryAlarmStateStore();
        var device = Device("mtr-1", 1, master, alarm: HighAt100);
        Start(new BusScheduler(TcpBus, [device], _time, NullLogger<BusScheduler>.Instance, store));

        var raised = await _events.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

        Assert.That((raised.DeviceId, raised.Code, raised.State, raised.Value), Is.EqualTo(("mtr-1", "value.high", EventState.Raised, (double?)150)));
        await Wait.UntilAsync(() => store.Raised("mtr-1").Count == 1, "the raise recorded as standing");
        master.Bank.Write(RegisterTable.InputRegisters, 0, [90]);
        await DriveUntil(() => _events.Reader.Count > 0);
        var cleared = await _events.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);
        Assert.That((cleared.Code, cleared.State), Is.EqualTo(("value.high", EventState.Cleared)));
        await Wait.UntilAsync(() => store.Raised("mtr-1").Count == 0, "the clear recorded");
    }

    [Test]
    public async Task An_alarm_that_stood_before_a_restart_is_not_raised_again_but_is_cleared_when_its_condition_goes()
    {
        var master = new FakeModbusMaster();
        master.Bank.Write(RegisterTable.InputRegisters, 0, [150]);
        var store = new InMemoryAlarmStateStore();
        store.Record([new DeviceEvent("mtr-1", TestReadings.Start.AddDays(-1), "value.high", EventState.Raised, EventSeverity.Warning, "before the restart", "value", 140)]);
        var device = Device("mtr-1", 1, master, alarm: HighAt100);
        Start(new BusScheduler(TcpBus, [device], _time, NullLogger<BusScheduler>.Instance, store));

        await DriveUntil(() => device.Polls >= 3);
        Assert.That(_events.Reader.TryRead(out var unexpected), Is.False, $"raised again: {unexpected}");

        master.Bank.Write(RegisterTable.InputRegisters, 0, [90]);
        await DriveUntil(() => _events.Reader.Count > 0);
        Assert.That(_events.Reader.TryRead(out var cleared) ? (cleared.Code, cleared.State) : default, Is.EqualTo(("value.high", EventState.Cleared)));
    }

    [Test]
    public async Task A_store_that_cannot_save_alarm_state_does_not_stop_polling()
    {
        var master = new FakeModbusMaster();
        master.Bank.Write(RegisterTable.InputRegisters, 0, [150]);
        var device = Device("mtr-1", 1, master, alarm: HighAt100);
        Start(new BusScheduler(TcpBus, [device], _time, NullLogger<BusScheduler>.Instance, new BrokenAlarmStateStore()));

        await DriveUntil(() => device.Polls >= 3);

        Assert.That(_events.Reader.TryRead(out var raised) ? raised.Code : null, Is.EqualTo("value.high"), "the event itself goes out");
        Assert.That(_running.Single().IsFaulted, Is.False);
    }

    private static readonly AlarmLimit HighAt100 = new(AlarmKind.High, 100, AlarmSeverity.Warning, 0, TimeSpan.Zero, null);

    private DevicePoller Device(
        string id, byte unit, IModbusMaster master, TimeSpan? interval = null, DevicePriority priority = DevicePriority.Normal,
        TimeSpan? maxSilence = null, AlarmLimit? alarm = null) =>
        new(id, Profile(TimeSpan.FromSeconds(1), Point("value", 0) with { MaxSilence = maxSilence, Alarms = alarm is null ? [] : [alarm] }),
            unit, interval ?? TimeSpan.FromSeconds(1), master, _time, NullLogger<DevicePoller>.Instance, priority);

    private void Start(BusScheduler scheduler) => _running.Add(scheduler.RunAsync(_readings.Writer, _events.Writer, _stop.Token));

    private sealed class BrokenAlarmStateStore : IAlarmStateStore
    {
        public IReadOnlyList<RaisedAlarm> Raised(string deviceId) => throw new IOException("the database file is damaged");

        public void Record(IReadOnlyList<DeviceEvent> events) => throw new IOException("no space left on device");
    }

    /// <summary>
    /// Moves the clock from timer to timer, each time once all <paramref name="lanes"/> lanes sleep on it, until
    /// <paramref name="done"/>.
    /// </summary>
    private async Task DriveUntil(Func<bool> done, int lanes = 1)
    {
        while (!done())
        {
            if (_running.FirstOrDefault(t => t.IsFaulted) is { } failed)
                Assert.Fail($"A scheduler failed: {failed.Exception}");
            await _time.StepAsync(lanes);
        }
    }
}
