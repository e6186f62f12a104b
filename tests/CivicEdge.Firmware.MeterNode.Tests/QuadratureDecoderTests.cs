namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class QuadratureDecoderTests
{
    [Test]
    public void A_forward_turn_through_the_four_states_is_one_forward_pulse()
    {
        var decoder = new QuadratureDecoder(state: 0, quarters: 0);

        int[] steps = [decoder.Step(true, false), decoder.Step(true, true), decoder.Step(false, true), decoder.Step(false, false)];

        Assert.That(steps, Is.EqualTo(new[] { 0, 0, 0, 1 }));
    }

    [Test]
    public void A_backward_turn_is_one_reverse_pulse()
    {
        var decoder = new QuadratureDecoder(state: 0, quarters: 0);

        int[] steps = [decoder.Step(false, true), decoder.Step(true, true), decoder.Step(true, false), decoder.Step(false, false)];

        Assert.That(steps, Is.EqualTo(new[] { 0, 0, 0, -1 }));
    }

    [Test]
    public void A_contact_chattering_on_its_edge_counts_nothing_in_either_direction()
    {
        var decoder = new QuadratureDecoder(state: 0, quarters: 0);
        int sum = 0;

        for (int i = 0; i < 100; i++)
        {
            sum += Math.Abs(decoder.Step(true, false));
            sum += Math.Abs(decoder.Step(false, false));
        }

        Assert.That(sum, Is.Zero);
    }

    [Test]
    public void Both_contacts_changing_at_once_is_an_error_and_not_a_step()
    {
        var decoder = new QuadratureDecoder(state: 0, quarters: 0);

        int step = decoder.Step(true, true);

        Assert.Multiple(() =>
        {
            Assert.That(step, Is.Zero);
            Assert.That(decoder.Errors, Is.EqualTo(1));
            Assert.That(decoder.Quarters, Is.Zero);
        });
    }

    [Test]
    public void Quarter_steps_carried_over_from_the_journal_complete_the_pulse_in_progress()
    {
        var decoder = new QuadratureDecoder(state: 0b11, quarters: 2);

        int first = decoder.Step(false, true);
        int second = decoder.Step(false, false);

        Assert.That((first, second), Is.EqualTo((0, 1)));
    }

    [Test]
    public void Half_a_turn_made_while_asleep_is_resumed_in_the_direction_the_water_last_flowed()
    {
        var forward = new QuadratureDecoder(state: 0b10, quarters: 2);
        var backward = new QuadratureDecoder(state: 0b10, quarters: -2);

        int forwardPulse = forward.Resume(false, true, likelyDirection: 1);
        int backwardPulse = backward.Resume(false, true, likelyDirection: -1);

        Assert.Multiple(() =>
        {
            Assert.That((forwardPulse, forward.Quarters), Is.EqualTo((1, 0)));
            Assert.That((backwardPulse, backward.Quarters), Is.EqualTo((-1, 0)));
            Assert.That(forward.Errors + backward.Errors, Is.Zero);
        });
    }
}
