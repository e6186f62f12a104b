using CivicEdge.Firmware.Host;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class DebouncedContactTests
{
    [Test]
    public void A_bounce_shorter_than_the_debounce_time_is_ignored()
    {
        var pin = new SimulatedDigitalInput(level: true);
        var contact = new DebouncedContact(pin, debounceMilliseconds: 5, nowMilliseconds: 0);

        pin.Level = false;
        bool changedEarly = contact.Sample(1) | contact.Sample(3);
        pin.Level = true;
        bool changedAfterBounce = contact.Sample(4) | contact.Sample(20);

        Assert.Multiple(() =>
        {
            Assert.That(changedEarly || changedAfterBounce, Is.False);
            Assert.That(contact.IsClosed, Is.False);
        });
    }

    [Test]
    public void A_level_held_for_the_debounce_time_is_believed_from_when_it_began()
    {
        var pin = new SimulatedDigitalInput(level: true);
        var contact = new DebouncedContact(pin, debounceMilliseconds: 5, nowMilliseconds: 0);

        pin.Level = false;
        contact.Sample(10);
        bool changed = contact.Sample(15);

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(contact.IsClosed, Is.True);
            Assert.That(contact.StableSinceMilliseconds, Is.EqualTo(10));
        });
    }
}
