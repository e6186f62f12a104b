using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Core.Tests.Security;

[Category("Unit")]
public sealed class TopicAclTests
{
    [TestCase("civic/v1/gw-1/telemetry", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/events", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/state", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/reported", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/results", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/ota-status", TopicAccessKind.Own)]
    [TestCase("civic/v1/mtr-1/ota-status", TopicAccessKind.OtherSource)]
    [TestCase("civic/v1/gw-1/ota", TopicAccessKind.Denied)]
    [TestCase("civic/v1/gw-1/commands", TopicAccessKind.Denied)]
    [TestCase("civic/v1/gw-2/commands", TopicAccessKind.Denied)]
    [TestCase("civic/v1/mtr-1/telemetry", TopicAccessKind.OtherSource)]
    [TestCase("civic/v1/gw-1/ack", TopicAccessKind.Denied)]
    [TestCase("civic/v1/gw-1/desired", TopicAccessKind.Denied)]
    [TestCase("civic/v1/gw-1/telemetry/extra", TopicAccessKind.Denied)]
    [TestCase("civic/v2/gw-1/telemetry", TopicAccessKind.Denied)]
    [TestCase("$SYS/broker/uptime", TopicAccessKind.Denied)]
    public void A_device_publishes_only_source_kinds_under_a_code(string topic, TopicAccessKind expected)
    {
        Assert.That(TopicAcl.Publish("gw-1", topic).Kind, Is.EqualTo(expected));
    }

    [TestCase("civic/v1/gw-1/ack", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/commands", TopicAccessKind.Own)]
    [TestCase("civic/v1/mtr-1/commands", TopicAccessKind.OtherSource)]
    [TestCase("civic/v1/+/commands", TopicAccessKind.Denied)]
    [TestCase("civic/v1/gw-1/#", TopicAccessKind.Own)]
    [TestCase("civic/v1/gw-1/+", TopicAccessKind.Own)]
    [TestCase("civic/v1/mtr-1/desired", TopicAccessKind.OtherSource)]
    [TestCase("civic/v1/+/ack", TopicAccessKind.Denied)]
    [TestCase("civic/v1/#", TopicAccessKind.Denied)]
    [TestCase("civic/#", TopicAccessKind.Denied)]
    [TestCase("#", TopicAccessKind.Denied)]
    [TestCase("$share/g/civic/v1/gw-1/ack", TopicAccessKind.Denied)]
    public void A_device_subscribes_only_under_a_literal_code(string filter, TopicAccessKind expected)
    {
        Assert.That(TopicAcl.Subscribe("gw-1", filter).Kind, Is.EqualTo(expected));
    }

    [Test]
    public void Another_source_is_named_so_that_the_ledger_can_say_whether_it_sits_behind_the_gateway()
    {
        Assert.That(TopicAcl.Publish("gw-1", "civic/v1/mtr-1/live").Source, Is.EqualTo("mtr-1"));
    }
}
