using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Gpio.Simulation;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.Gpio;

[Category("Unit")]
public sealed class DoorContactTests
{
    private const int DoorPin = 4;
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);

    private TempDirectory _directory = null!;
    private GpioRig _rig = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _rig = new GpioRig(_directory.File("gateway.db"));
    }

    [TearDown]
    public void TearDown()
    {
        _rig.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task Opening_the_door_raises_a_major_alarm_and_reports_door_open_1_for_its_device()
    {
        var inputs = await StartAsync(Door());
        await SkipStartUpAsync();

        _rig.Set(DoorPin, PinValue.High, bounces: 3);
        _rig.Time.Advance(Debounce);
        var raised = await _rig.NextEventAsync();
        var reading = await _rig.NextReadingAsync("door_open");

        Assert.That(raised, Is.EqualTo(new DeviceEvent("pole-0001", GpioRig.Start, "door_open", EventState.Raised, EventSeverity.Major,
            "Door 'cabinet_door' (GPIO 4) opened", "door_open", 1)));
        Assert.That((reading.DeviceId, reading.Timestamp, reading.Stream), Is.EqualTo(("pole-0001", GpioRig.Start, Streams.Telemetry)));
        Assert.That(reading.Points.Single(), Is.EqualTo(new PointValue("door_open", 1, "1", "door_state", Quality.Good)));
        Assert.That(inputs.Doors.Single().IsOpen, Is.True);
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Closing_it_clears_the_alarm_and_reports_door_open_0()
    {
        var inputs = await StartAsync(Door(severity: "critical"));
        await SkipStartUpAsync();
        _rig.Set(DoorPin, PinValue.High);
        _rig.Time.Advance(TimeSpan.FromMinutes(5));
        await _rig.NextEventAsync();

        _rig.Set(DoorPin, PinValue.Low, bounces: 2);
        _rig.Time.Advance(Debounce);
        var cleared = await _rig.NextEventAsync();
        var reading = await _rig.NextReadingAsync(r => r.Points.Single().Value == 0);

        Assert.That((cleared.State, cleared.Severity, cleared.Code, cleared.Value), Is.EqualTo((EventState.Cleared, EventSeverity.Critical, "door_open", (double?)0)));
        Assert.That(cleared.Timestamp, Is.EqualTo(GpioRig.Start + TimeSpan.FromMinutes(5)));
        Assert.That(reading.Timestamp, Is.EqualTo(cleared.Timestamp));
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task A_door_rattling_in_the_wind_for_less_than_the_debounce_reports_nothing()
    {
        var inputs = await StartAsync(Door());
        await SkipStartUpAsync();

        for (var i = 0; i < 10; i++)
        {
            _rig.Set(DoorPin, PinValue.High);
            _rig.Time.Advance(Debounce / 2);
            _rig.Set(DoorPin, PinValue.Low);
            _rig.Time.Advance(Debounce * 2);
        }

        await inputs.StopAsync(CancellationToken.None);
        Assert.That(_rig.TakeReadings(), Is.Empty);
        Assert.That(_rig.Events.Reader.TryRead(out _), Is.False);
        Assert.That(inputs.Doors.Single().Input.Rejected, Is.EqualTo(10));
    }

    [TestCase(false, EventState.Cleared, 0)]
    [TestCase(true, EventState.Raised, 1)]
    public async Task The_door_state_is_asserted_at_start_up_so_the_alarm_heals_after_a_restart(bool open, EventState state, double value)
    {
        _rig.Driver.Drive(DoorPin, open ? PinValue.High : PinValue.Low);

        var inputs = await StartAsync(Door());
        var asserted = await _rig.NextEventAsync();
        var reading = await _rig.NextReadingAsync("door_open");

        Assert.That((asserted.State, asserted.Value, asserted.Message),
            Is.EqualTo((state, (double?)value, $"Door 'cabinet_door' (GPIO 4) is {(open ? "open" : "closed")} at start-up")));
        Assert.That(reading.Points.Single().Value, Is.EqualTo(value));
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task With_a_pull_up_a_cut_wire_reads_as_an_open_door()
    {
        // The usual wiring: a reed contact to ground, held closed by the door's magnet. Nothing pulls the line low once
        // the door opens, or once the wire is cut, and the pull-up makes both read open: tampering raises the alarm.
        var inputs = await StartAsync(Door(pull: "up"));

        Assert.That((await _rig.NextEventAsync()).State, Is.EqualTo(EventState.Raised));
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task An_active_low_door_is_open_while_its_line_is_low()
    {
        var inputs = await StartAsync(Door(activeLow: true, pull: "up"));
        Assert.That((await _rig.NextEventAsync()).State, Is.EqualTo(EventState.Cleared), "the pull-up holds the idle line high: closed");

        _rig.Set(DoorPin, PinValue.Low);
        _rig.Time.Advance(Debounce);

        Assert.That((await _rig.NextEventAsync()).State, Is.EqualTo(EventState.Raised));
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Where_the_driver_has_no_pull_resistors_the_input_is_opened_without_one()
    {
        _rig.Dispose();
        _rig = new GpioRig(_directory.File("gateway.db"), new SimulatedGpioDriver(supportsPullResistors: false));

        var inputs = await StartAsync(Door(pull: "up"));

        Assert.That(_rig.Driver.Mode(DoorPin), Is.EqualTo(PinMode.Input));
        await inputs.StopAsync(CancellationToken.None);
    }

    private async Task<GpioInputService> StartAsync(GpioOptions options)
    {
        var inputs = _rig.Inputs(options);
        await inputs.StartAsync(CancellationToken.None);
        return inputs;
    }

    private async Task SkipStartUpAsync()
    {
        await _rig.NextEventAsync();
        await _rig.NextReadingAsync("door_open");
    }

    private static GpioOptions Door(string severity = "major", bool activeLow = false, string pull = "down") => new()
    {
        Driver = "simulated",
        Doors =
        {
            new DoorContactOptions
            {
                Name = "cabinet_door",
                DeviceId = "pole-0001",
                Pin = DoorPin,
                ActiveLow = activeLow,
                Pull = pull,
                Debounce = Debounce,
                Severity = severity,
            },
        },
    };
}
