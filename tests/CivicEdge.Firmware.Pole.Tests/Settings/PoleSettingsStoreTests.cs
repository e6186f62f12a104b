using CivicEdge.Firmware.Host;
using CivicEdge.Firmware.Pole.Scheduling;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Tests.Settings;

[Category("Unit")]
public sealed class PoleSettingsStoreTests
{
    [Test]
    public void Stored_settings_come_back_after_a_reboot_with_every_value()
    {
        var storage = new MemorySettingsStorage();
        var settings = new PoleSettings
        {
            Latitude = 31.23, Longitude = 121.47, UtcOffsetMinutes = 480, OnEvent = SunEvent.CivilDusk, OnOffsetMinutes = -5,
            OffEvent = SunEvent.CivilDawn, OffOffsetMinutes = 7, DimmingStepCount = 1, MinimumLevelPercent = 20, SerialNumber = "SLC1-000042",
            TiltReferenceX = 0.1, CurrentScale = 2.5, ManualMode = true, ManualLevelPercent = 30,
        };
        settings.DimmingStepMinutes[0] = 1380;
        settings.DimmingStepLevels[0] = 60;

        Assert.That(new PoleSettingsStore(storage).Save(settings), Is.Null);
        var store = new PoleSettingsStore(storage);
        var loaded = store.Load();

        Assert.That(store.Problem, Is.Null);
        Assert.That(loaded, Is.Not.Null.And.Matches<PoleSettings?>(s => s != null &&
            s.Latitude == 31.23 && s.Longitude == 121.47 && s.UtcOffsetMinutes == 480 && s.OnEvent == SunEvent.CivilDusk &&
            s.OnOffsetMinutes == -5 && s.OffEvent == SunEvent.CivilDawn && s.OffOffsetMinutes == 7 && s.DimmingStepCount == 1 &&
            s.DimmingStepMinutes[0] == 1380 && s.DimmingStepLevels[0] == 60 && s.MinimumLevelPercent == 20 &&
            s.SerialNumber == "SLC1-000042" && s.TiltReferenceX == 0.1 && s.CurrentScale == 2.5 && s.ManualMode && s.ManualLevelPercent == 30));
    }

    [Test]
    public void A_value_out_of_range_is_refused_with_the_setting_the_expected_range_and_the_value_found()
    {
        var problem = new PoleSettingsStore(new MemorySettingsStorage()).Save(new PoleSettings { MinimumLevelPercent = 70 });

        Assert.That(problem, Is.EqualTo("Setting MinimumLevelPercent: expected 1..50, found 70"));
    }

    [Test]
    public void A_write_torn_by_a_power_loss_keeps_the_previous_settings()
    {
        var storage = new MemorySettingsStorage();
        var store = new PoleSettingsStore(storage);
        store.Save(new PoleSettings { UtcOffsetMinutes = 120 });

        storage.TearNextWriteAfter(20);
        Assert.Throws<PowerLossException>(() => store.Save(new PoleSettings { UtcOffsetMinutes = 180 }));
        var reloaded = new PoleSettingsStore(storage);

        Assert.That(reloaded.Load().UtcOffsetMinutes, Is.EqualTo(120));
        Assert.That(reloaded.Problem, Does.Contain("the write was cut short"), "the torn copy is reported, not skipped silently");
    }

    [Test]
    public void A_stored_value_that_does_not_validate_leaves_the_controller_on_defaults_and_names_the_setting()
    {
        var storage = new MemorySettingsStorage();
        var raw = new CivicEdge.Firmware.Core.Settings.SettingsStore(storage, "pole.settings");
        raw.SetInt32("level.min", 90);
        raw.SetInt32("utc.offset.min", 300);
        raw.Save();
        var store = new PoleSettingsStore(storage);

        var settings = store.Load();

        Assert.That(settings.UtcOffsetMinutes, Is.EqualTo(new PoleSettings().UtcOffsetMinutes));
        Assert.That(store.Problem, Is.EqualTo("Setting MinimumLevelPercent: expected 1..50, found 90 (stored). Running on defaults."));
    }

    [Test]
    public void Saving_unchanged_settings_writes_nothing()
    {
        var storage = new MemorySettingsStorage();
        var store = new PoleSettingsStore(storage);
        store.Save(new PoleSettings());
        var writes = storage.Writes;

        store.Save(new PoleSettings());

        Assert.That(storage.Writes, Is.EqualTo(writes));
    }

    [Test]
    public void Corrupt_copies_leave_the_controller_on_defaults_and_say_so()
    {
        var storage = new MemorySettingsStorage();
        storage.Write("pole.settings.a", [1, 2, 3]);
        storage.Write("pole.settings.b", [(byte)'C', (byte)'E', 0, 0, 0, 0, 0, 0, 0, 0]);
        var store = new PoleSettingsStore(storage);

        var settings = store.Load();

        Assert.That(settings.UtcOffsetMinutes, Is.EqualTo(new PoleSettings().UtcOffsetMinutes));
        Assert.That(store.Problem, Does.StartWith("Settings copy 'pole.settings.b' set aside: "));
    }
}
