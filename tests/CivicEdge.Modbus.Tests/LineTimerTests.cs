using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Modbus.Tests;

[Category("Unit")]
public sealed class LineTimerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(10);

    [Test]
    public async Task A_pause_ends_once_the_clock_has_moved_by_its_delay()
    {
        var clock = new FakeTimeProvider();
        using var timer = new LineTimer(clock);

        var pause = timer.WaitAsync(Delay, CancellationToken.None);
        clock.Advance(Delay - TimeSpan.FromMilliseconds(1));
        bool endedEarly = pause.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await pause;

        Assert.That(endedEarly, Is.False);
    }

    [Test]
    public async Task Cancelling_ends_a_pause_at_once_and_the_next_pause_waits_its_whole_delay()
    {
        var clock = new FakeTimeProvider();
        using var timer = new LineTimer(clock);
        using var cancel = new CancellationTokenSource();

        var cancelled = timer.WaitAsync(Delay, cancel.Token);
        clock.Advance(Delay / 2);
        await cancel.CancelAsync();
        Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>().With.Property(nameof(OperationCanceledException.CancellationToken)).EqualTo(cancel.Token));

        var next = timer.WaitAsync(Delay, CancellationToken.None);
        clock.Advance(Delay - TimeSpan.FromMilliseconds(1));
        bool endedEarly = next.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await next;

        Assert.That(endedEarly, Is.False);
    }

    [Test]
    public void A_pause_asked_for_with_a_cancelled_token_fails_without_waiting()
    {
        using var timer = new LineTimer(new FakeTimeProvider());

        var pause = timer.WaitAsync(Delay, new CancellationToken(canceled: true));

        Assert.That(pause.IsCanceled, Is.True);
    }

    [Test]
    public void A_pause_of_no_time_ends_at_once()
    {
        using var timer = new LineTimer(new FakeTimeProvider());

        Assert.That(timer.WaitAsync(TimeSpan.Zero, CancellationToken.None).IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void A_pause_under_a_millisecond_on_the_system_clock_ends_at_once_as_Task_Delay_does()
    {
        using var timer = new LineTimer(TimeProvider.System);

        var pause = timer.WaitAsync(TimeSpan.FromMilliseconds(0.45), CancellationToken.None);

        Assert.That(pause.IsCompletedSuccessfully, Is.True);
        Assert.That(Task.Delay(TimeSpan.FromMilliseconds(0.45), CancellationToken.None).IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task A_pause_under_a_millisecond_on_another_clock_waits_for_that_clock()
    {
        var clock = new FakeTimeProvider();
        using var timer = new LineTimer(clock);

        var pause = timer.WaitAsync(TimeSpan.FromMilliseconds(0.45), CancellationToken.None);
        bool endedEarly = pause.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(0.45));
        await pause;

        Assert.That(endedEarly, Is.False);
    }

    [Test]
    public void Pauses_after_the_first_allocate_nothing()
    {
        var clock = new ManualClock();
        using var timer = new LineTimer(clock);
        using var cancel = new CancellationTokenSource();
        Pause(timer, clock, cancel.Token);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
            Pause(timer, clock, cancel.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    private static void Pause(LineTimer timer, ManualClock clock, CancellationToken cancellationToken)
    {
        var pause = timer.WaitAsync(Delay, cancellationToken);
        clock.Advance(Delay);

        // The clock rings the timer on this thread, so the pause has ended and its result can be taken here.
        pause.GetAwaiter().GetResult();
    }
}
