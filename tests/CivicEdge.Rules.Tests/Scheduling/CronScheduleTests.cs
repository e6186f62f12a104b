using CivicEdge.Rules.Scheduling;

namespace CivicEdge.Rules.Tests.Scheduling;

[Category("Unit")]
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [TestCase("30 1 * * *", "2026-06-15T12:00:00Z", "2026-06-16T01:30:00Z")]
    [TestCase("30 1 * * *", "2026-06-16T01:29:59Z", "2026-06-16T01:30:00Z")]
    [TestCase("30 1 * * *", "2026-06-16T01:30:00Z", "2026-06-17T01:30:00Z")]
    [TestCase("*/15 6-22 * * mon-fri", "2026-06-19T22:50:00Z", "2026-06-22T06:00:00Z")] // Friday evening -> Monday
    [TestCase("*/15 6-22 * * mon-fri", "2026-06-22T06:01:00Z", "2026-06-22T06:15:00Z")]
    [TestCase("0 0 1 jan,jul *", "2026-06-15T00:00:00Z", "2026-07-01T00:00:00Z")]
    [TestCase("0 12 * * 7", "2026-06-15T00:00:00Z", "2026-06-21T12:00:00Z")] // 7 is Sunday too
    [TestCase("0 0 13 * fri", "2026-06-06T00:00:00Z", "2026-06-12T00:00:00Z")] // both day fields: either matches (Friday 12th)
    [TestCase("0 0 13 * fri", "2026-06-12T00:00:00Z", "2026-06-13T00:00:00Z")] // ... then the 13th, a Saturday
    [TestCase("5-10/5 8 * * *", "2026-06-15T08:06:00Z", "2026-06-15T08:10:00Z")]
    public void Next_is_the_first_matching_minute_after_the_given_time(string cron, string after, string expected)
    {
        var schedule = CronSchedule.Parse(cron, TimeZoneInfo.Utc);

        Assert.That(schedule.Next(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Times_are_local_to_the_schedules_time_zone()
    {
        var schedule = CronSchedule.Parse("0 1 * * *", Berlin);

        Assert.That(schedule.Next(Utc(2026, 1, 15, 12, 0)), Is.EqualTo(Utc(2026, 1, 16, 0, 0)), "CET is UTC+1");
        Assert.That(schedule.Next(Utc(2026, 7, 15, 12, 0)), Is.EqualTo(Utc(2026, 7, 15, 23, 0)), "CEST is UTC+2");
    }

    [Test]
    public void A_local_time_skipped_by_the_spring_clock_change_does_not_happen_that_day()
    {
        // 29 March 2026: Berlin clocks go from 02:00 straight to 03:00.
        var schedule = CronSchedule.Parse("30 2 * * *", Berlin);

        Assert.That(schedule.Next(Utc(2026, 3, 28, 12, 0)), Is.EqualTo(Utc(2026, 3, 30, 0, 30)));
    }

    [Test]
    public void A_local_time_repeated_by_the_autumn_clock_change_happens_once_the_first_time()
    {
        // 25 October 2026: Berlin clocks go back from 03:00 CEST to 02:00 CET, so 02:30 comes twice.
        var schedule = CronSchedule.Parse("30 2 * * *", Berlin);

        var first = schedule.Next(Utc(2026, 10, 24, 12, 0));
        Assert.That(first, Is.EqualTo(Utc(2026, 10, 25, 0, 30)));
        Assert.That(schedule.Next(first!.Value), Is.EqualTo(Utc(2026, 10, 26, 1, 30)));
    }

    [Test]
    public void A_date_that_never_comes_has_no_next_time()
    {
        Assert.That(CronSchedule.Parse("0 0 30 feb *", TimeZoneInfo.Utc).Next(Utc(2026, 1, 1, 0, 0)), Is.Null);
    }

    [TestCase("61 * * * *", "minute field '61': expected 0-59; found '61'")]
    [TestCase("* * * *", "expected five fields: minute hour day-of-month month day-of-week")]
    [TestCase("0 0 * * funday", "day of week field 'funday': expected 0-7 or sun-sat; found 'funday'")]
    [TestCase("*/0 * * * *", "minute field '*/0': expected a step of at least 1 after '/'; found '0'")]
    [TestCase("0 22-6 * * *", "hour field '22-6': expected a range from low to high; found '22-6'")]
    [TestCase("0 0 0 * *", "day of month field '0': expected 1-31; found '0'")]
    public void A_bad_expression_is_refused_naming_the_field(string cron, string message)
    {
        var e = Assert.Throws<FormatException>(() => CronSchedule.Parse(cron, TimeZoneInfo.Utc));

        Assert.That(e.Message, Does.Contain(message));
    }
}
