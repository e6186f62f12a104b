namespace CivicEdge.Fleet.Contracts.Tests;

[Category("Unit")]
public sealed class TopicsTests
{
    [Test]
    public void Topics_of_a_source_share_one_prefix_so_an_acl_can_be_one_rule()
    {
        Assert.That(Topics.Telemetry("gw-01"), Is.EqualTo("civic/v1/gw-01/telemetry"));
        Assert.That(Topics.Ack("gw-01"), Is.EqualTo("civic/v1/gw-01/ack"));
        Assert.That(Topics.State("gw-01"), Is.EqualTo("civic/v1/gw-01/state"));
    }

    [TestCase("civic/v1/gw-01/telemetry", "gw-01", "telemetry")]
    [TestCase("civic/v1/440300-01/ack", "440300-01", "ack")]
    public void TryParse_splits_a_topic_into_source_and_kind(string topic, string source, string kind)
    {
        Assert.That(Topics.TryParse(topic, out var s, out var k), Is.True);
        Assert.That((s, k), Is.EqualTo((source, kind)));
    }

    [TestCase("civic/v2/gw-01/telemetry")]
    [TestCase("civic/v1/gw-01")]
    [TestCase("civic/v1//telemetry")]
    [TestCase("civic/v1/gw-01/")]
    [TestCase("civic/v1/gw-01/telemetry/extra")]
    [TestCase("other/gw-01/telemetry")]
    public void TryParse_refuses_topics_outside_the_namespace(string topic)
    {
        Assert.That(Topics.TryParse(topic, out _, out _), Is.False);
    }

    [TestCase("gw/01")]
    [TestCase("gw+")]
    [TestCase("gw#")]
    [TestCase("")]
    public void A_source_id_that_would_break_the_topic_tree_is_refused(string sourceId)
    {
        Assert.That(Topics.IsValidSegment(sourceId), Is.False);
        Assert.That(() => Topics.Telemetry(sourceId), Throws.InstanceOf<ArgumentException>());
    }
}
