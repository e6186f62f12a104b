using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Health;

namespace CivicEdge.Gateway.Tests.Health;

[Category("Unit")]
public sealed class VerdictRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly HealthOptions Options = new();

    [Test]
    public void A_device_answering_every_request_is_ok_without_reasons()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 100, requests: 200), Counters(polls: 40, requests: 80), Window, Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Ok));
        Assert.That(reasons, Is.Empty);
    }

    [Test]
    public void A_device_not_polled_yet_is_ok_and_says_so()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 0, requests: 0), null, Window, Options);

        Assert.That((verdict, reasons.Single()), Is.EqualTo((HealthVerdict.Ok, "waiting for its first poll")));
    }

    [Test]
    public void A_device_that_missed_fewer_polls_than_the_limit_is_degraded_and_backed_off()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 10, requests: 10, timeouts: 0, unanswered: 2, next: At.AddSeconds(20)), null, Window, Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Degraded));
        Assert.That(reasons.Single(), Is.EqualTo("missed its last 2 polls; polled with back-off, next at 10:00:20Z"));
    }

    [Test]
    public void A_device_silent_for_the_limit_of_polls_in_a_row_is_failed_with_its_last_answer()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 10, requests: 10, timeouts: 3, unanswered: 3, lastAnswer: At.AddMinutes(-2)), null, Window, Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Failed));
        Assert.That(reasons[0], Is.EqualTo("not answering: 3 polls in a row without an answer (last answer at 09:58:00Z)"));
    }

    [Test]
    public void Timeouts_above_the_allowed_share_in_the_window_degrade_a_device_even_when_it_answered_last()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 140, requests: 140, timeouts: 12), Counters(polls: 100, requests: 100, timeouts: 4), Window, Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Degraded));
        Assert.That(reasons.Single(), Is.EqualTo("8 timeouts in 40 requests (20 %) over the last 5 min, above the 5 % allowed"));
    }

    [Test]
    public void Errors_before_the_window_no_longer_count()
    {
        var (verdict, _) = VerdictRules.Judge(Counters(polls: 140, requests: 140, timeouts: 30, crc: 20), Counters(polls: 100, requests: 100, timeouts: 30, crc: 20), Window, Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Ok));
    }

    [Test]
    public void Damaged_answers_and_exception_responses_above_their_shares_are_each_a_reason()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 50, requests: 50, crc: 2, exceptions: 1), null, TimeSpan.FromSeconds(30), Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Degraded));
        Assert.That(reasons, Is.EqualTo(new[]
        {
            "2 damaged answers (CRC or framing errors) in 50 requests (4 %) over the last 30 s, above the 1 % allowed",
            "1 exception responses in 50 requests (2 %) over the last 30 s: the device refuses reads its profile asks for",
        }));
    }

    [Test]
    public void A_baseline_above_the_counters_means_the_poller_was_recreated_and_its_counters_count_from_zero()
    {
        var (verdict, reasons) = VerdictRules.Judge(Counters(polls: 10, requests: 10, timeouts: 5), Counters(polls: 500, requests: 500, timeouts: 0), Window, Options);

        Assert.That(verdict, Is.EqualTo(HealthVerdict.Degraded));
        Assert.That(reasons.Single(), Does.StartWith("5 timeouts in 10 requests (50 %)"));
    }

    private static DeviceCounters Counters(
        long polls, long requests, long timeouts = 0, long crc = 0, long exceptions = 0, long unanswered = 0,
        DateTimeOffset? lastAnswer = null, DateTimeOffset? next = null) =>
        new("mtr-1", "rs485-1", unanswered == 0, polls, requests, requests - timeouts - crc - exceptions, timeouts, crc, exceptions, 0, unanswered,
            null, null, null, lastAnswer, next);
}
