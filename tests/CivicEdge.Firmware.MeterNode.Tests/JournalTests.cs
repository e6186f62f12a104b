using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.MeterNode.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.MeterNode.Tests;

[Category("Unit")]
public sealed class JournalTests
{
    [Test]
    public void The_totals_survive_a_reboot()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PersistEveryPulses = 5 });
        for (int i = 0; i < 25; i++)
            dial.Pulse();

        dial.Boot();

        Assert.Multiple(() =>
        {
            Assert.That(dial.Node.Recovered, Is.True);
            Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(25));
            Assert.That(dial.Node.State.ForwardMillilitres, Is.EqualTo(25000));
        });
    }

    [Test]
    public void Unsaved_pulses_are_written_once_the_meter_has_been_still_for_a_while()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PersistEveryPulses = 100, PersistAfterStillMilliseconds = 60_000 });
        for (int i = 0; i < 3; i++)
            dial.Pulse();

        dial.Rest(61_000);
        dial.Boot();

        Assert.That(dial.Node.State.ForwardPulses, Is.EqualTo(3));
    }

    [Test]
    public void Counting_a_thousand_pulses_writes_flash_only_once_per_ten_pulses()
    {
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PersistEveryPulses = 10 });

        for (int i = 0; i < 1000; i++)
            dial.Pulse();

        Assert.That(dial.Storage.Writes, Is.EqualTo(100));
    }

    [Test]
    public void Records_rotate_over_the_slots_so_no_slot_wears_faster_than_the_others()
    {
        var storage = new MemorySettingsStorage();
        var journal = new TotalsJournal(storage, slots: 4);
        var state = new MeterState();

        for (int i = 0; i < 8; i++)
            journal.Append(state);

        Assert.That(Enumerable.Range(0, 4).Select(i => storage.Read("meter.journal." + i)), Has.All.Not.Null);
    }

    [Test]
    public void A_record_with_a_bad_checksum_is_skipped_and_the_previous_record_recovered()
    {
        var storage = new MemorySettingsStorage();
        var journal = new TotalsJournal(storage, slots: 4);
        var state = new MeterState { ForwardMillilitres = 1000 };
        journal.Append(state);
        state.ForwardMillilitres = 2000;
        journal.Append(state);
        var newest = storage.Read("meter.journal.2")!;
        newest[10] ^= 0x01;
        storage.Write("meter.journal.2", newest);

        var recovered = new MeterState();
        var again = new TotalsJournal(storage, slots: 4);
        bool found = again.Recover(recovered);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.True);
            Assert.That(recovered.ForwardMillilitres, Is.EqualTo(1000));
            Assert.That(again.DamagedRecords, Is.EqualTo(1));
            Assert.That(again.Sequence, Is.EqualTo(1));
        });
    }

    /// <summary>
    /// Power is cut during each of the first journal writes, after every interesting number of bytes; the node boots
    /// again on what reached flash and the dial keeps turning. The documented bound: a power cut loses at most
    /// PersistEveryPulses pulses (those unsaved when it struck) plus the pulse in progress, and nothing is ever counted
    /// twice.
    /// </summary>
    [Test]
    public void A_power_cut_during_any_journal_write_loses_at_most_the_unsaved_pulses_and_never_counts_twice(
        [Range(1, 6)] int write,
        [Values(0, 1, 4, 8, 37, 60, 67)] int bytesReachingFlash)
    {
        const int persistEvery = 10;
        var dial = new MeterDial(new FakeTimeProvider(), new MeterNodeConfiguration { PersistEveryPulses = persistEvery });
        bool cut = false;

        while (!cut)
        {
            if (dial.Storage.Writes == write - 1)
                dial.Storage.TearNextWriteAfter(bytesReachingFlash);
            try
            {
                dial.Pulse();
            }
            catch (PowerLossException)
            {
                cut = true;
            }
        }

        int turnedBeforeCut = dial.ForwardTurns;
        dial.Boot();
        uint recovered = dial.Node.State.ForwardPulses;
        for (int i = 0; i < 30; i++)
            dial.Pulse();

        Assert.Multiple(() =>
        {
            Assert.That(recovered, Is.InRange(turnedBeforeCut - persistEvery, turnedBeforeCut), "recovered right after the cut");
            Assert.That(dial.Node.State.ForwardPulses, Is.InRange(dial.ForwardTurns - persistEvery - 1, dial.ForwardTurns), "after 30 more turns");
            Assert.That(dial.Node.State.ForwardMillilitres, Is.EqualTo(dial.Node.State.ForwardPulses * 1000UL));
        });
    }
}
