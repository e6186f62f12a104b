using System.Device.Gpio;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.Gpio;

[Category("Unit")]
public sealed class PulseCountingTests
{
    private const int MeterPin = 17;
    private const string Key = "wm-0001/volume";
    private static readonly TimeSpan Width = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private TempDirectory _directory = null!;
    private string _database = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        _database = _directory.File("gateway.db");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public async Task Every_pulse_is_counted_once_however_its_contact_bounces()
    {
        using var rig = new GpioRig(_database);
        var inputs = rig.Inputs(Meter());
        await inputs.StartAsync(CancellationToken.None);

        for (var i = 0; i < 250; i++)
            rig.Pulse(MeterPin, Width, Pause, bounces: i % 4);

        var counter = inputs.Counters.Single();
        Assert.That(counter.Pulses, Is.EqualTo(250));
        Assert.That(counter.Input.Rejected, Is.Zero, "a bounce inside a pulse is filtered before it settles, not rejected after");
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Pulses_shorter_than_the_minimum_width_are_not_counted()
    {
        using var rig = new GpioRig(_database);
        var inputs = rig.Inputs(Meter(minPulseWidth: TimeSpan.FromMilliseconds(30)));
        await inputs.StartAsync(CancellationToken.None);

        rig.Pulse(MeterPin, TimeSpan.FromMilliseconds(5), Pause);
        rig.Pulse(MeterPin, TimeSpan.FromMilliseconds(29), Pause);
        rig.Pulse(MeterPin, TimeSpan.FromMilliseconds(30), Pause);

        var counter = inputs.Counters.Single();
        Assert.That((counter.Pulses, counter.Input.Rejected), Is.EqualTo((1L, 2L)));
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Counted_pulses_are_committed_within_the_commit_interval()
    {
        using var rig = new GpioRig(_database);
        var inputs = rig.Inputs(Meter());
        await inputs.StartAsync(CancellationToken.None);

        rig.Pulse(MeterPin, Width, Pause);
        rig.Pulse(MeterPin, Width, Pause);
        Assert.That(rig.Totals.Load(Key), Is.Null, "the first pulse was counted 0.88 s ago: its commit is not due yet");

        rig.Time.Advance(CommitInterval - Width - Pause);
        var committed = rig.Totals.Load(Key);
        Assert.That((committed?.Pulses, committed?.Millilitres), Is.EqualTo(((long?)2, (long?)20_000)));
        await inputs.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Totals_resume_across_a_reopened_database_and_a_restart_never_counts_a_pulse_twice()
    {
        using (var first = new GpioRig(_database))
        {
            var inputs = first.Inputs(Meter());
            await inputs.StartAsync(CancellationToken.None);
            for (var i = 0; i < 7; i++)
                first.Pulse(MeterPin, Width, Pause);

            // Stopped in the middle of a pulse: it was counted when it settled, and must not count again at restart.
            first.Set(MeterPin, PinValue.Low);
            first.Time.Advance(Width);
            await inputs.StopAsync(CancellationToken.None);
        }

        using var second = new GpioRig(_database);
        second.Driver.Drive(MeterPin, PinValue.Low);
        var resumed = second.Inputs(Meter());
        await resumed.StartAsync(CancellationToken.None);
        var atStart = await second.NextReadingAsync("volume");

        second.Time.Advance(Pause);
        second.Set(MeterPin, PinValue.High);
        second.Time.Advance(Pause);
        for (var i = 0; i < 3; i++)
            second.Pulse(MeterPin, Width, Pause);
        await resumed.StopAsync(CancellationToken.None);

        Assert.That(atStart.Points.Single().Value, Is.EqualTo(0.08).Within(1e-12), "8 pulses of 10 L were committed before the restart");
        Assert.That(second.Totals.Load(Key)!.Pulses, Is.EqualTo(11));
    }

    [Test]
    public async Task A_power_cut_loses_at_most_the_pulses_of_one_commit_interval_and_the_total_never_goes_back()
    {
        var snapshot = Directory.CreateDirectory(_directory.File("after-power-cut")).FullName;
        double lastReported;
        using (var rig = new GpioRig(_database))
        {
            var inputs = rig.Inputs(Meter(reportInterval: TimeSpan.FromSeconds(5)));
            await inputs.StartAsync(CancellationToken.None);
            for (var i = 0; i < 10; i++)
                rig.Pulse(MeterPin, Width, Pause);
            lastReported = (await rig.NextReadingAsync(r => r.Points[0].Name == "volume" && r.Points[0].Value > 0)).Points[0].Value;

            // Two more pulses inside one commit interval; then the power goes, and the disk holds what was committed.
            // LiteDB writes a committed transaction's log pages from a thread of its own, a moment after the commit
            // returns: the checkpoint waits for that writer, so the copy is the disk as a power cut a few
            // milliseconds after the last commit would leave it.
            rig.Pulse(MeterPin, Width, TimeSpan.FromMilliseconds(100));
            rig.Pulse(MeterPin, Width, TimeSpan.FromMilliseconds(100));
            Assert.That(inputs.Counters.Single().Pulses, Is.EqualTo(12));
            rig.Database.Read(db =>
            {
                db.Checkpoint();
                return true;
            });
            foreach (var file in Directory.GetFiles(_directory.Path, "gateway*.db"))
                File.Copy(file, Path.Combine(snapshot, Path.GetFileName(file)));
            await inputs.StopAsync(CancellationToken.None);
        }

        using var restarted = new GpioRig(Path.Combine(snapshot, "gateway.db"));
        var resumed = restarted.Inputs(Meter());
        await resumed.StartAsync(CancellationToken.None);
        var firstAfter = (await restarted.NextReadingAsync("volume")).Points[0].Value;
        await resumed.StopAsync(CancellationToken.None);

        Assert.That(lastReported, Is.EqualTo(0.1).Within(1e-12), "10 pulses, committed before they were reported");
        Assert.That(firstAfter, Is.EqualTo(0.1).Within(1e-12), "the two pulses of the last commit interval are the whole loss");
        Assert.That(firstAfter, Is.GreaterThanOrEqualTo(lastReported));
    }

    [Test]
    public async Task The_total_is_a_billing_reading_from_the_meter_register_and_the_flow_rate_routine_telemetry()
    {
        using var rig = new GpioRig(_database);
        var reportInterval = TimeSpan.FromMinutes(2);
        var inputs = rig.Inputs(Meter(startTotal: 1234.567, reportInterval: reportInterval));
        await inputs.StartAsync(CancellationToken.None);
        var atStart = await rig.NextReadingAsync("volume");

        // 10 L every 36 s is 1 m³/h; the last pause ends on the report, so the clock stands still while it is made.
        for (var i = 0; i < 3; i++)
            rig.Pulse(MeterPin, Width, TimeSpan.FromSeconds(36) - Width);
        rig.Pulse(MeterPin, Width, TimeSpan.FromSeconds(12) - Width);
        var total = await rig.NextReadingAsync("volume");
        var flow = await rig.NextReadingAsync("flow_rate");
        await inputs.StopAsync(CancellationToken.None);

        Assert.That(atStart.Points.Single(), Is.EqualTo(new PointValue("volume", 1234.567, "m3", "volume", Quality.Good)));
        Assert.That((total.DeviceId, total.Stream, total.Timestamp), Is.EqualTo(("wm-0001", Streams.Billing, GpioRig.Start + reportInterval)));
        Assert.That(total.Points.Single().Value, Is.EqualTo(1234.607).Within(1e-9));
        Assert.That((flow.Stream, flow.Points.Single().Unit, flow.Points.Single().Quantity), Is.EqualTo((Streams.Telemetry, "m3/h", "volume_flow")));
        Assert.That(flow.Points.Single().Value, Is.EqualTo(1.0).Within(1e-9));
    }

    [Test]
    public async Task A_report_commits_first_so_it_shows_every_pulse_counted_before_it()
    {
        using var rig = new GpioRig(_database);
        var inputs = rig.Inputs(Meter(reportInterval: TimeSpan.FromSeconds(2), commitInterval: TimeSpan.FromSeconds(30)));
        await inputs.StartAsync(CancellationToken.None);

        rig.Pulse(MeterPin, Width, Pause);
        rig.Time.Advance(TimeSpan.FromSeconds(2) - Width - Pause);
        var reported = await rig.NextReadingAsync(r => r.Stream == Streams.Billing && r.Timestamp > GpioRig.Start);
        await inputs.StopAsync(CancellationToken.None);

        Assert.That(reported.Points.Single().Value, Is.EqualTo(0.01).Within(1e-12));
        Assert.That(rig.Totals.Load(Key)!.Pulses, Is.EqualTo(1));
    }

    [Test]
    public async Task The_volume_per_pulse_is_counted_in_whole_millilitres_so_totals_add_up_exactly()
    {
        using var rig = new GpioRig(_database);
        var inputs = rig.Inputs(Meter(litresPerPulse: 0.1));
        await inputs.StartAsync(CancellationToken.None);

        for (var i = 0; i < 30; i++)
            rig.Pulse(MeterPin, Width, Pause);
        await inputs.StopAsync(CancellationToken.None);

        var committed = rig.Totals.Load(Key);
        Assert.That((committed?.Pulses, committed?.Millilitres), Is.EqualTo(((long?)30, (long?)3_000)));
    }

    private static GpioOptions Meter(
        TimeSpan? minPulseWidth = null,
        TimeSpan? reportInterval = null,
        TimeSpan? commitInterval = null,
        double startTotal = 0,
        double litresPerPulse = 10) => new()
        {
            Driver = "simulated",
            CommitInterval = commitInterval ?? CommitInterval,
            PulseCounters =
            {
                new PulseCounterOptions
                {
                    Name = "water_main",
                    DeviceId = "wm-0001",
                    Pin = MeterPin,
                    LitresPerPulse = litresPerPulse,
                    MinPulseWidth = minPulseWidth ?? TimeSpan.FromMilliseconds(20),
                    StartTotal = startTotal,
                    ReportInterval = reportInterval ?? ReportInterval,
                },
            },
        };
}
