namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class DurationTextTests
{
    [TestCase("500ms", 500)]
    [TestCase("5s", 5_000)]
    [TestCase("1m", 60_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("0s", 0)]
    public void A_whole_number_with_a_unit_parses(string text, long milliseconds)
    {
        Assert.That(DurationText.TryParse(text, out var duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("s")]
    [TestCase("1.5s")]
    [TestCase("-1s")]
    [TestCase("5 s")]
    [TestCase("5S")]
    [TestCase("5d")]
    [TestCase("99999999999999999999h")]
    [TestCase("9999999999999h")]
    public void Anything_else_does_not_parse(string text)
    {
        Assert.That(DurationText.TryParse(text, out _), Is.False);
    }

    [TestCase(0, "0s")]
    [TestCase(500, "500ms")]
    [TestCase(1_500, "1500ms")]
    [TestCase(90_000, "90s")]
    [TestCase(300_000, "5m")]
    [TestCase(7_200_000, "2h")]
    public void A_duration_is_written_in_the_largest_unit_that_keeps_it_whole(long milliseconds, string text)
    {
        Assert.That(DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(text));
        Assert.That(DurationText.TryParse(text, out var back) && back == TimeSpan.FromMilliseconds(milliseconds), Is.True, "it reads back");
    }
}
