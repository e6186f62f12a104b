using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Tests.Ledger;

[Category("Unit")]
public sealed class GeoAndLifecycleTests
{
    [Test]
    public void A_degree_of_latitude_is_111_195_metres_on_the_mean_sphere()
    {
        Assert.That(GeoDistance.Metres(34, 113, 35, 113), Is.EqualTo(111_195.08).Within(0.01));
    }

    [Test]
    public void Paris_to_London_is_about_344_km()
    {
        Assert.That(GeoDistance.Metres(48.8566, 2.3522, 51.5074, -0.1278), Is.EqualTo(343_560).Within(500));
    }

    [Test]
    public void A_box_around_a_point_holds_every_point_within_the_radius()
    {
        var box = GeoDistance.BoxAround(34.7466, 113.6253, 100);

        foreach (var bearing in Enumerable.Range(0, 36).Select(step => step * 10 * Math.PI / 180))
        {
            // 99 m along each bearing, by the local flat approximation: inside the circle, so inside the box.
            var latitude = 34.7466 + (99 * Math.Cos(bearing) / 111_195.08);
            var longitude = 113.6253 + (99 * Math.Sin(bearing) / (111_195.08 * Math.Cos(34.7466 * Math.PI / 180)));
            Assert.That(box.Contains(latitude, longitude), Is.True, $"bearing {bearing}");
        }

        Assert.That(box.Contains(34.7466 + 0.002, 113.6253), Is.False, "222 m north is outside");
    }

    [Test]
    public void A_box_near_the_antimeridian_spans_every_longitude()
    {
        var box = GeoDistance.BoxAround(10, 179.9999, 1000);

        Assert.That((box.MinLongitude, box.MaxLongitude), Is.EqualTo((-180.0, 180.0)));
    }

    [TestCase(LifecycleState.Registered, LifecycleState.Installed, true)]
    [TestCase(LifecycleState.Registered, LifecycleState.InService, false)]
    [TestCase(LifecycleState.Installed, LifecycleState.Commissioned, true)]
    [TestCase(LifecycleState.Commissioned, LifecycleState.InService, true)]
    [TestCase(LifecycleState.InService, LifecycleState.Maintenance, true)]
    [TestCase(LifecycleState.Maintenance, LifecycleState.InService, true)]
    [TestCase(LifecycleState.Maintenance, LifecycleState.Installed, true)]
    [TestCase(LifecycleState.InService, LifecycleState.Registered, false)]
    [TestCase(LifecycleState.InService, LifecycleState.Decommissioned, true)]
    [TestCase(LifecycleState.Decommissioned, LifecycleState.InService, false)]
    [TestCase(LifecycleState.Decommissioned, LifecycleState.Decommissioned, false)]
    public void Only_sensible_lifecycle_steps_are_allowed(LifecycleState from, LifecycleState to, bool allowed)
    {
        Assert.That(LifecycleRules.IsAllowed(from, to), Is.EqualTo(allowed));
    }

    [Test]
    public void Every_state_but_decommissioned_can_be_decommissioned()
    {
        foreach (var state in Enum.GetValues<LifecycleState>().Where(state => state != LifecycleState.Decommissioned))
            Assert.That(LifecycleRules.IsAllowed(state, LifecycleState.Decommissioned), Is.True, state.ToString());
    }

    [TestCase("poleController", DeviceKind.PoleController)]
    [TestCase("pole-controller", DeviceKind.PoleController)]
    [TestCase("POLE_CONTROLLER", DeviceKind.PoleController)]
    [TestCase("gateway", DeviceKind.Gateway)]
    public void Kinds_are_read_as_the_api_writes_them_or_as_people_type_them(string text, DeviceKind expected)
    {
        Assert.That(LedgerNames.TryParse<DeviceKind>(text, out var kind), Is.True);
        Assert.That(kind, Is.EqualTo(expected));
    }

    [TestCase("robot")]
    [TestCase("3")]
    [TestCase("")]
    public void A_name_that_is_no_kind_is_not_read_as_one(string text)
    {
        Assert.That(LedgerNames.TryParse<DeviceKind>(text, out _), Is.False);
    }
}
