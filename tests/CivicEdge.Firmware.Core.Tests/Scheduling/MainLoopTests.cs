using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Scheduling;

[TestFixture]
[Category("Unit")]
public sealed class MainLoopTests
{
    private FakeTimeProvider _time = null!;
    private SimulatedClock _clock = null!;
    private FakeWatchdog _watchdog = null!;
    private FakeTimeDelay _delay = null!;
    private MainLoop _loop = null!;

    [SetUp]
    public void Boot()
    {
        _time = new FakeTimeProvider();
        _clock = new SimulatedClock(_time);
        _watchdog = new FakeWatchdog();
        _delay = new FakeTimeDelay(_time);
        _loop = new MainLoop(_clock, _watchdog, _delay, capacity: 4, watchdogTimeoutMilliseconds: 8000);
    }

    [Test]
    public void Each_job_runs_at_its_own_period()
    {
        var fast = new RecordingJob(_time);
        var slow = new RecordingJob(_time);
        _loop.Add("fast", fast, 100, 0);
        _loop.Add("slow", slow, 250, 0);

        RunFor(1000);

        Assert.That(fast.RanAt, Is.EqualTo(Enumerable.Range(0, 10).Select(i => i * 100L)));
        Assert.That(slow.RanAt, Is.EqualTo(new long[] { 0, 250, 500, 750 }));
    }

    [Test]
    public void A_pass_runs_every_due_job_once_and_then_feeds_the_watchdog()
    {
        var first = new RecordingJob(_time);
        var second = new RecordingJob(_time);
        var feedsSeenBySecond = -1;
        second.During = () => feedsSeenBySecond = _watchdog.Feeds;
        _loop.Add("first", first, 100, 0);
        _loop.Add("second", second, 100, 0);

        _loop.RunPass();

        Assert.That(first.RanAt, Has.Count.EqualTo(1));
        Assert.That(second.RanAt, Has.Count.EqualTo(1));
        Assert.That(feedsSeenBySecond, Is.Zero, "the watchdog must not be fed before the pass is complete");
        Assert.That(_watchdog.Feeds, Is.EqualTo(1));
    }

    [Test]
    public void The_loop_sleeps_until_the_next_job_is_due()
    {
        _loop.Add("a", new RecordingJob(_time), 300, 0);
        _loop.Add("b", new RecordingJob(_time), 1000, 120);

        var sleep = _loop.RunPass();

        Assert.That(sleep, Is.EqualTo(120));
    }

    [Test]
    public void The_loop_never_sleeps_longer_than_half_the_watchdog_timeout()
    {
        _loop.Add("hourly", new RecordingJob(_time), 3_600_000, 0);

        var sleep = _loop.RunPass();

        Assert.That(sleep, Is.EqualTo(4000));
    }

    [Test]
    public void A_job_that_comes_round_late_counts_the_missed_runs_skips_them_and_keeps_its_phase()
    {
        var slow = new RecordingJob(_time) { TakesMilliseconds = 350 };
        var fast = new RecordingJob(_time);
        _loop.Add("slow", slow, 1000, 0);
        var fastIndex = _loop.Add("fast", fast, 100, 0);

        RunFor(1000);

        // At 0 "slow" holds the thread until 350, so "fast", due at 0, runs at 350: its runs at 100, 200 and 300 are
        // missed, and it goes on at 400, not at 450.
        Assert.That(_loop.OverrunsOf(fastIndex), Is.EqualTo(3));
        Assert.That(_loop.Overruns, Is.EqualTo(3));
        Assert.That(fast.RanAt.Take(3), Is.EqualTo(new long[] { 350, 400, 500 }));
        Assert.That(_loop.LongestPassMilliseconds, Is.EqualTo(350));
    }

    [Test]
    public void A_job_that_throws_is_counted_and_the_pass_goes_on()
    {
        var faulty = new RecordingJob(_time) { Throws = new InvalidOperationException("sensor unplugged") };
        var next = new RecordingJob(_time);
        var faultyIndex = _loop.Add("faulty", faulty, 100, 0);
        _loop.Add("next", next, 100, 0);

        _loop.RunPass();

        Assert.That(next.RanAt, Has.Count.EqualTo(1));
        Assert.That(_loop.FaultsOf(faultyIndex), Is.EqualTo(1));
        Assert.That(_loop.LastFaultJob, Is.EqualTo("faulty"));
        Assert.That(_loop.LastFaultMessage, Is.EqualTo("sensor unplugged"));
        Assert.That(_watchdog.Feeds, Is.EqualTo(1));
    }

    [Test]
    public void Run_arms_the_watchdog_and_passes_until_stopped()
    {
        var job = new RecordingJob(_time);
        job.During = () =>
        {
            if (job.RanAt.Count == 5)
                _loop.Stop();
        };
        _loop.Add("job", job, 200, 0);

        _loop.Run();

        Assert.That(_watchdog.Started, Is.True);
        Assert.That(_watchdog.TimeoutMilliseconds, Is.EqualTo(8000));
        Assert.That(job.RanAt, Is.EqualTo(new long[] { 0, 200, 400, 600, 800 }));
        Assert.That(_watchdog.Feeds, Is.EqualTo(_loop.Passes));
        Assert.That(_delay.Sleeps, Is.All.EqualTo(200));
    }

    [Test]
    public void A_job_beyond_the_capacity_is_refused_by_name()
    {
        var small = new MainLoop(_clock, _watchdog, _delay, capacity: 1, watchdogTimeoutMilliseconds: 1000);
        small.Add("one", new RecordingJob(_time), 100, 0);

        var refused = Assert.Throws<InvalidOperationException>(() => small.Add("two", new RecordingJob(_time), 100, 0));

        Assert.That(refused.Message, Does.Contain("'two'").And.Contain("1 jobs"));
    }

    [Test]
    public void A_job_without_a_positive_period_is_refused()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => _loop.Add("bad", new RecordingJob(_time), 0, 0));

        Assert.That(refused.Message, Does.Contain("'bad'").And.Contain("found 0"));
    }

    private void RunFor(long milliseconds)
    {
        while (_clock.UptimeMilliseconds < milliseconds)
        {
            var sleep = _loop.RunPass();
            if (sleep > 0 && _clock.UptimeMilliseconds < milliseconds)
                _delay.Sleep(sleep);
        }
    }
}
