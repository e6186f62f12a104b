using CivicEdge.Firmware.Core.Uplink;
using Contracts = CivicEdge.Fleet.Contracts;

namespace CivicEdge.Firmware.Core.Tests.Uplink;

[Category("Unit")]
public sealed class DeviceTopicsTests
{
    [Test]
    public void The_firmware_constants_are_the_contracts_own()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DeviceTopics.Prefix, Is.EqualTo(Contracts.Topics.Prefix));
            Assert.That(DeviceTopics.TelemetrySuffix, Is.EqualTo(Contracts.Topics.TelemetrySuffix));
            Assert.That(DeviceTopics.AckSuffix, Is.EqualTo(Contracts.Topics.AckSuffix));
            Assert.That(DeviceTopics.StateSuffix, Is.EqualTo(Contracts.Topics.StateSuffix));
            Assert.That(DeviceTopics.EventsSuffix, Is.EqualTo(Contracts.Topics.EventsSuffix));
            Assert.That(DeviceTopics.HealthSuffix, Is.EqualTo(Contracts.Topics.HealthSuffix));
            Assert.That(DeviceTopics.LiveSuffix, Is.EqualTo(Contracts.Topics.LiveSuffix));
            Assert.That(DeviceTopics.DesiredSuffix, Is.EqualTo(Contracts.Topics.DesiredSuffix));
            Assert.That(DeviceTopics.ReportedSuffix, Is.EqualTo(Contracts.Topics.ReportedSuffix));
            Assert.That(DeviceTopics.CommandsSuffix, Is.EqualTo(Contracts.Topics.CommandsSuffix));
            Assert.That(DeviceTopics.ResultsSuffix, Is.EqualTo(Contracts.Topics.ResultsSuffix));
        });
    }

    [Test]
    public void A_source_gets_the_same_topics_as_the_contracts_build()
    {
        var topics = new DeviceTopics("POLE-7");
        Assert.Multiple(() =>
        {
            Assert.That(topics.Telemetry, Is.EqualTo(Contracts.Topics.Telemetry("POLE-7")));
            Assert.That(topics.Ack, Is.EqualTo(Contracts.Topics.Ack("POLE-7")));
            Assert.That(topics.State, Is.EqualTo(Contracts.Topics.State("POLE-7")));
            Assert.That(topics.Events, Is.EqualTo(Contracts.Topics.Events("POLE-7")));
            Assert.That(topics.Health, Is.EqualTo(Contracts.Topics.Health("POLE-7")));
            Assert.That(topics.Live, Is.EqualTo(Contracts.Topics.Live("POLE-7")));
            Assert.That(topics.Desired, Is.EqualTo(Contracts.Topics.Desired("POLE-7")));
            Assert.That(topics.Reported, Is.EqualTo(Contracts.Topics.Reported("POLE-7")));
            Assert.That(topics.Commands, Is.EqualTo(Contracts.Topics.Commands("POLE-7")));
            Assert.That(topics.Results, Is.EqualTo(Contracts.Topics.Results("POLE-7")));
        });
    }

    [TestCase("a/b")]
    [TestCase("a+")]
    [TestCase("#")]
    [TestCase("")]
    public void A_source_id_that_is_not_one_topic_level_is_refused_as_the_contracts_refuse_it(string sourceId)
    {
        Assert.That(DeviceTopics.IsValidSegment(sourceId), Is.EqualTo(Contracts.Topics.IsValidSegment(sourceId)).And.False);
        Assert.That(() => new DeviceTopics(sourceId), Throws.ArgumentException.With.Message.Contains("one MQTT topic level"));
    }
}
