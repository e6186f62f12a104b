using CivicEdge.Firmware.Core.Settings;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Host;

namespace CivicEdge.Firmware.Core.Tests.Settings;

[TestFixture]
[Category("Unit")]
public sealed class SettingsStoreTests
{
    [Test]
    public void Every_kind_of_value_survives_a_reboot()
    {
        var storage = new MemorySettingsStorage();
        var settings = new SettingsStore(storage, "settings");
        settings.SetInt32("modbus.unit", 17);
        settings.SetInt64("energy.wh", 9_876_543_210L);
        settings.SetDouble("lamp.watts", 74.5);
        settings.SetBoolean("lamp.dimmable", true);
        settings.SetString("mqtt.host", "fleet.city.example");
        settings.SetBytes("ota.key", [0x04, 0xA1, 0x00, 0xFF]);
        settings.Save();

        var rebooted = new SettingsStore(storage, "settings");
        var found = rebooted.Load();

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.True);
            Assert.That(rebooted.GetInt32("modbus.unit"), Is.EqualTo(17));
            Assert.That(rebooted.GetInt64("energy.wh"), Is.EqualTo(9_876_543_210L));
            Assert.That(rebooted.GetDouble("lamp.watts"), Is.EqualTo(74.5));
            Assert.That(rebooted.GetBoolean("lamp.dimmable"), Is.True);
            Assert.That(rebooted.GetString("mqtt.host"), Is.EqualTo("fleet.city.example"));
            Assert.That(rebooted.GetBytes("ota.key"), Is.EqualTo(new byte[] { 0x04, 0xA1, 0x00, 0xFF }));
            Assert.That(rebooted.Count, Is.EqualTo(6));
            Assert.That(rebooted.Generation, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_new_device_starts_with_no_settings_and_the_defaults_apply()
    {
        var settings = new SettingsStore(new MemorySettingsStorage(), "settings");

        Assert.That(settings.Load(), Is.False);
        Assert.That(settings.GetInt32("modbus.unit", 1), Is.EqualTo(1));
        Assert.That(settings.GetString("mqtt.host", "localhost"), Is.EqualTo("localhost"));
    }

    [Test]
    public void Saving_writes_nothing_when_no_value_changed()
    {
        var storage = new MemorySettingsStorage();
        var settings = new SettingsStore(storage, "settings");
        settings.SetInt32("report.seconds", 60);
        settings.SetBytes("key", [1, 2, 3]);
        settings.Save();
        var writes = storage.Writes;

        settings.SetInt32("report.seconds", 60);
        settings.SetBytes("key", [1, 2, 3]);
        var wrote = settings.Save();

        Assert.That(wrote, Is.False);
        Assert.That(storage.Writes, Is.EqualTo(writes));
        Assert.That(settings.IsDirty, Is.False);
    }

    [Test]
    public void Saves_alternate_between_the_two_copies()
    {
        var storage = new SlotCountingStorage();
        var settings = new SettingsStore(storage, "settings");

        for (var i = 0; i < 6; i++)
        {
            settings.SetInt32("value", i);
            settings.Save();
        }

        Assert.That(storage.WritesPerSlot, Is.EquivalentTo(new Dictionary<string, int> { ["settings.a"] = 3, ["settings.b"] = 3 }));
        Assert.That(settings.Generation, Is.EqualTo(6));
    }

    [Test]
    public void Reading_a_setting_as_the_wrong_type_names_the_key_and_both_types()
    {
        var settings = new SettingsStore(new MemorySettingsStorage(), "settings");
        settings.SetString("mqtt.port", "8883");

        var wrong = Assert.Throws<SettingsException>(() => settings.GetInt32("mqtt.port", 1883));

        Assert.That(wrong.Message, Is.EqualTo("Setting 'mqtt.port' holds a String, not an Int32."));
    }

    [Test]
    public void Reading_a_missing_setting_without_a_default_names_the_key_and_the_store()
    {
        var settings = new SettingsStore(new MemorySettingsStorage(), "settings");

        var missing = Assert.Throws<SettingsException>(() => settings.GetDouble("lamp.watts"));

        Assert.That(missing.Message, Is.EqualTo("Setting 'lamp.watts' is missing from 'settings' and has no default."));
    }

    [Test]
    public void Setting_a_value_of_another_type_over_an_existing_one_is_refused()
    {
        var settings = new SettingsStore(new MemorySettingsStorage(), "settings");
        settings.SetBoolean("lamp.on", true);

        var refused = Assert.Throws<SettingsException>(() => settings.SetInt32("lamp.on", 1));

        Assert.That(refused.Message, Does.Contain("'lamp.on' holds a Boolean; it cannot be set to an Int32"));
    }

    [Test]
    public void A_power_loss_at_any_byte_of_a_save_leaves_the_previous_settings()
    {
        var length = ImageLength();
        for (var tornAfter = 0; tornAfter < length; tornAfter++)
        {
            var storage = new MemorySettingsStorage();
            var settings = new SettingsStore(storage, "settings");
            Write(settings, 1);
            Write(settings, 2);
            settings.SetInt32("dim.level", 3);
            settings.SetString("name", "pole-000003");

            storage.TearNextWriteAfter(tornAfter);
            Assert.Throws<PowerLossException>(() => settings.Save());

            var rebooted = new SettingsStore(storage, "settings");
            Assert.That(rebooted.Load(), Is.True, $"torn after {tornAfter} bytes");
            Assert.That(rebooted.GetInt32("dim.level"), Is.EqualTo(2), $"torn after {tornAfter} bytes");
            Assert.That(rebooted.GetString("name"), Is.EqualTo("pole-000002"), $"torn after {tornAfter} bytes");
            Assert.That(rebooted.Generation, Is.EqualTo(2));
            Assert.That(rebooted.ValidCopies, Is.EqualTo(1), $"torn after {tornAfter} bytes");
            Assert.That(rebooted.LoadProblem, Does.StartWith("Settings copy 'settings.a' set aside: "), $"torn after {tornAfter} bytes");

            // The next save after the reboot goes over the torn copy and succeeds.
            Write(rebooted, 4);
            var again = new SettingsStore(storage, "settings");
            again.Load();
            Assert.That(again.GetInt32("dim.level"), Is.EqualTo(4), $"torn after {tornAfter} bytes");
            Assert.That(again.ValidCopies, Is.EqualTo(2));
        }
    }

    [Test]
    public void A_power_loss_during_the_very_first_save_leaves_a_device_without_settings_rather_than_with_garbage()
    {
        for (var tornAfter = 0; tornAfter < ImageLength(); tornAfter++)
        {
            var storage = new MemorySettingsStorage();
            var settings = new SettingsStore(storage, "settings");
            settings.SetInt32("dim.level", 1);
            settings.SetString("name", "pole-000001");

            storage.TearNextWriteAfter(tornAfter);
            Assert.Throws<PowerLossException>(() => settings.Save());

            Assert.That(new SettingsStore(storage, "settings").Load(), Is.False, $"torn after {tornAfter} bytes");
        }
    }

    [Test]
    public void A_corrupted_newer_copy_is_set_aside_with_the_reason_and_the_older_one_is_used()
    {
        var storage = new SlotCountingStorage();
        var settings = new SettingsStore(storage, "settings");
        Write(settings, 1);
        Write(settings, 2);
        storage.FlipBit("settings.b", 20);

        var rebooted = new SettingsStore(storage, "settings");
        rebooted.Load();

        Assert.That(rebooted.GetInt32("dim.level"), Is.EqualTo(1));
        Assert.That(rebooted.LoadProblem, Does.StartWith("Settings copy 'settings.b' set aside: CRC-32 mismatch: stored 0x"));
    }

    [Test]
    public void A_removed_setting_stays_removed_after_a_reboot()
    {
        var storage = new MemorySettingsStorage();
        var settings = new SettingsStore(storage, "settings");
        Write(settings, 1);

        Assert.That(settings.Remove("name"), Is.True);
        settings.Save();
        var rebooted = new SettingsStore(storage, "settings");
        rebooted.Load();

        Assert.That(rebooted.Contains("name"), Is.False);
        Assert.That(rebooted.Contains("dim.level"), Is.True);
    }

    private static void Write(SettingsStore settings, int value)
    {
        settings.SetInt32("dim.level", value);
        settings.SetString("name", $"pole-{value:D6}");
        settings.Save();
    }

    private static int ImageLength()
    {
        var storage = new MemorySettingsStorage();
        Write(new SettingsStore(storage, "settings"), 1);
        return storage.Read("settings.a")!.Length;
    }
}
