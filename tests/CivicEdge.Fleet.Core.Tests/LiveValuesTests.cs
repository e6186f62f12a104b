using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using static CivicEdge.Fleet.Core.Tests.TestBatches;

namespace CivicEdge.Fleet.Core.Tests;

[TestFixture]
[Category("Unit")]
public sealed class LiveValuesTests
{
    private LiveValues _live = null!;

    [SetUp]
    public void CreateOverlay() => _live = new LiveValues(new TelemetryIngestOptions(), NullLogger<LiveValues>.Instance, maxDevices: 2);

    [Test]
    public void A_live_value_newer_than_the_stored_one_replaces_it_marked_live()
    {
        var stored = new LatestValue("voltage_l1", 229, "V", "voltage", Quality.Good, T0.AddSeconds(1));
        _live.Accept(Gateway, Batch(Record(90, points: Voltage(231.5))));

        var latest = _live.Overlay("meter-1", [stored]);

        Assert.That(latest, Is.EqualTo(new[] { new LatestValue("voltage_l1", 231.5, "V", "voltage", Quality.Good, T0.AddSeconds(90), Live: true) }));
    }

    [Test]
    public void A_stored_value_newer_than_the_live_one_wins()
    {
        _live.Accept(Gateway, Batch(Record(5, points: Voltage(231.5))));
        var stored = new LatestValue("voltage_l1", 229, "V", "voltage", Quality.Good, T0.AddSeconds(6));

        Assert.That(_live.Overlay("meter-1", [stored]), Is.EqualTo(new[] { stored }));
    }

    [Test]
    public void Points_only_seen_live_are_added_in_name_order()
    {
        var stored = new LatestValue("voltage_l1", 229, "V", "voltage", Quality.Good, T0.AddSeconds(100));
        _live.Accept(Gateway, Batch(Record(5, points: new PointValue("current_l1", 5, "A", "current", Quality.Good))));

        Assert.That(_live.Overlay("meter-1", [stored]).Select(value => (value.Point, value.Live)),
            Is.EqualTo(new[] { ("current_l1", true), ("voltage_l1", false) }));
    }

    [Test]
    public void A_malformed_live_batch_is_refused_and_counted()
    {
        var rejection = _live.Accept("gw-other", Batch(Record(1)));

        Assert.That(rejection?.Cause, Is.EqualTo(RejectionCause.SourceMismatch));
        Assert.That((_live.Accepted, _live.Rejected), Is.EqualTo((0L, 1L)));
        Assert.That(_live.Accept(Gateway, Utf8("not json"))?.Cause, Is.EqualTo(RejectionCause.MalformedPayload));
    }

    [Test]
    public void Beyond_its_bound_the_device_updated_longest_ago_is_forgotten()
    {
        _live.Accept(Gateway, Batch(Record(1, "meter-a")));
        _live.Accept(Gateway, Batch(Record(2, "meter-b")));
        _live.Accept(Gateway, Batch(Record(3, "meter-a")));

        _live.Accept(Gateway, Batch(Record(4, "meter-c")));

        Assert.That(_live.Overlay("meter-b", []), Is.Empty);
        Assert.That(_live.Overlay("meter-a", []), Has.Count.EqualTo(1));
        Assert.That(_live.Overlay("meter-c", []), Has.Count.EqualTo(1));
    }
}
