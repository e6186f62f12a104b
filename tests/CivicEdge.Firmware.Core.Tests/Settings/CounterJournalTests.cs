using CivicEdge.Firmware.Core.Settings;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Host;

namespace CivicEdge.Firmware.Core.Tests.Settings;

[TestFixture]
[Category("Unit")]
public sealed class CounterJournalTests
{
    private const int EnergyWh = 0;
    private const int Pulses = 1;

    [Test]
    public void Counters_survive_a_reboot()
    {
        var storage = new MemorySettingsStorage();
        var journal = new CounterJournal(storage, "energy", counters: 2, slots: 4);
        journal.Add(EnergyWh, 1_250_000);
        journal.Add(Pulses, 7);
        journal.Commit();
        journal.Add(EnergyWh, 15);
        journal.Commit();

        var rebooted = new CounterJournal(storage, "energy", counters: 2, slots: 4);

        Assert.That(rebooted.Load(), Is.True);
        Assert.That(rebooted.Get(EnergyWh), Is.EqualTo(1_250_015));
        Assert.That(rebooted.Get(Pulses), Is.EqualTo(7));
        Assert.That(rebooted.Sequence, Is.EqualTo(2));
    }

    [Test]
    public void A_new_device_starts_at_zero()
    {
        var journal = new CounterJournal(new MemorySettingsStorage(), "energy", counters: 2, slots: 4);

        Assert.That(journal.Load(), Is.False);
        Assert.That(journal.Get(EnergyWh), Is.Zero);
    }

    [Test]
    public void Commits_spread_evenly_over_the_slots_of_the_ring()
    {
        var storage = new SlotCountingStorage();
        var journal = new CounterJournal(storage, "energy", counters: 2, slots: 8);

        for (var i = 0; i < 80; i++)
        {
            journal.Add(EnergyWh, 1);
            journal.Commit();
        }

        Assert.That(storage.WritesPerSlot.Keys, Is.EquivalentTo(Enumerable.Range(0, 8).Select(i => $"energy.{i}")));
        Assert.That(storage.WritesPerSlot.Values, Is.All.EqualTo(10));
    }

    [Test]
    public void A_commit_without_a_change_writes_nothing()
    {
        var storage = new SlotCountingStorage();
        var journal = new CounterJournal(storage, "energy", counters: 2, slots: 4);
        journal.Set(EnergyWh, 10);
        journal.Commit();

        journal.Set(EnergyWh, 10);
        journal.Add(Pulses, 0);

        Assert.That(journal.Commit(), Is.False);
        Assert.That(storage.WritesPerSlot.Values.Sum(), Is.EqualTo(1));
    }

    [Test]
    public void A_power_loss_at_any_byte_of_a_commit_leaves_the_previous_counters()
    {
        const int recordLength = 9 + 16 + 4;
        for (var commitsBefore = 1; commitsBefore <= 4; commitsBefore++)
        {
            for (var tornAfter = 0; tornAfter < recordLength; tornAfter++)
            {
                var storage = new MemorySettingsStorage();
                var journal = new CounterJournal(storage, "energy", counters: 2, slots: 3);
                for (var i = 1; i <= commitsBefore; i++)
                {
                    journal.Set(EnergyWh, i * 100);
                    journal.Commit();
                }

                journal.Set(EnergyWh, 999);
                storage.TearNextWriteAfter(tornAfter);
                Assert.Throws<PowerLossException>(() => journal.Commit());

                var rebooted = new CounterJournal(storage, "energy", counters: 2, slots: 3);
                var where = $"after {commitsBefore} commits, torn after {tornAfter} bytes";
                Assert.That(rebooted.Load(), Is.True, where);
                Assert.That(rebooted.Get(EnergyWh), Is.EqualTo(commitsBefore * 100), where);
                Assert.That(rebooted.DamagedRecords, Is.EqualTo(1), where);

                rebooted.Set(EnergyWh, 1234);
                rebooted.Commit();
                var again = new CounterJournal(storage, "energy", counters: 2, slots: 3);
                again.Load();
                Assert.That(again.Get(EnergyWh), Is.EqualTo(1234), where);
            }
        }
    }

    [Test]
    public void A_commit_allocates_nothing()
    {
        var storage = new SlotCountingStorage();
        var journal = new CounterJournal(storage, "energy", counters: 2, slots: 4);
        for (var i = 0; i < 8; i++)
        {
            journal.Add(EnergyWh, 1);
            journal.Commit();
        }

        // The fake storage counts writes in a dictionary that boxes nothing once every slot has been written.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            journal.Add(EnergyWh, 1);
            journal.Commit();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void A_record_from_firmware_with_fewer_counters_fills_the_first_ones()
    {
        var storage = new MemorySettingsStorage();
        var older = new CounterJournal(storage, "energy", counters: 1, slots: 4);
        older.Set(0, 42);
        older.Commit();

        var newer = new CounterJournal(storage, "energy", counters: 3, slots: 4);
        newer.Load();

        Assert.That(newer.Get(0), Is.EqualTo(42));
        Assert.That(newer.Get(2), Is.Zero);
    }

    [Test]
    public void An_out_of_range_counter_is_refused_with_the_journal_size()
    {
        var journal = new CounterJournal(new MemorySettingsStorage(), "energy", counters: 2, slots: 4);

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => journal.Get(2));

        Assert.That(refused.Message, Does.Contain("Counter 2 does not exist: the journal holds 2."));
    }
}
