namespace CivicEdge.Fleet.Core.Tests;

[TestFixture]
[Category("Unit")]
public sealed class StreamWatermarkTests
{
    [Test]
    public void Records_at_or_below_the_watermark_are_counted_as_resends_and_the_rest_kept_in_order()
    {
        var (fresh, duplicates, watermark) = StreamWatermark.Split<long>([3, 4, 5, 6, 7], sequence => sequence, watermark: 5);

        Assert.That(fresh, Is.EqualTo(new long[] { 6, 7 }));
        Assert.That(duplicates, Is.EqualTo(3));
        Assert.That(watermark, Is.EqualTo(7));
    }

    [Test]
    public void A_batch_of_resends_only_leaves_the_watermark_where_it_was()
    {
        var (fresh, duplicates, watermark) = StreamWatermark.Split<long>([1, 2], sequence => sequence, watermark: 9);

        Assert.That(fresh, Is.Empty);
        Assert.That(duplicates, Is.EqualTo(2));
        Assert.That(watermark, Is.EqualTo(9));
    }
}
