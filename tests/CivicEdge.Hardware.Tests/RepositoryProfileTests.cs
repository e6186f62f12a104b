using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class RepositoryProfileTests
{
    [Test]
    public void Every_profile_in_the_repository_loads()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(catalog.Profiles.Select(p => p.Model), Does.Contain("eastron-sdm630"));
    }

    [Test]
    public void The_sdm630_profile_follows_the_eastron_input_register_map()
    {
        var profile = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory).Get("eastron-sdm630");

        // Eastron SDM630 Modbus Protocol, input registers 30001.. (protocol address = register - 30001).
        var expected = new Dictionary<string, (ushort Address, string Unit)>
        {
            ["voltage_l1"] = (0x0000, "V"),
            ["voltage_l2"] = (0x0002, "V"),
            ["voltage_l3"] = (0x0004, "V"),
            ["current_l1"] = (0x0006, "A"),
            ["current_l2"] = (0x0008, "A"),
            ["current_l3"] = (0x000A, "A"),
            ["active_power_l1"] = (0x000C, "W"),
            ["active_power_l2"] = (0x000E, "W"),
            ["active_power_l3"] = (0x0010, "W"),
            ["power_factor_l1"] = (0x001E, "1"),
            ["power_factor_l2"] = (0x0020, "1"),
            ["power_factor_l3"] = (0x0022, "1"),
            ["total_active_power"] = (0x0034, "W"),
            ["frequency"] = (0x0046, "Hz"),
            ["import_active_energy"] = (0x0048, "kWh"),
            ["export_active_energy"] = (0x004A, "kWh"),
            ["total_active_energy"] = (0x0156, "kWh"),
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.Schema, Is.EqualTo(ProfileLoader.SupportedSchema));
            Assert.That(profile.Protocol, Is.EqualTo("modbus"));
            Assert.That(profile.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(profile.Points.ToDictionary(p => p.Name, p => (p.Address, p.Unit)), Is.EquivalentTo(expected));
            Assert.That(profile.Points.Select(p => (p.Table, p.Type, p.Order, p.Scale, p.Offset, p.Writable)).Distinct(),
                Is.EqualTo(new[] { (RegisterTable.InputRegisters, RegisterDataType.Float32, RegisterOrder.ABCD, 1.0, 0.0, false) }));
        }
    }

    [Test]
    public void A_model_is_found_whatever_its_case()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(catalog.Find("Eastron-SDM630")?.Model, Is.EqualTo("eastron-sdm630"));
    }

    [Test]
    public void Asking_for_an_unknown_model_names_the_models_there_are()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        var error = Assert.Throws<KeyNotFoundException>(() => catalog.Get("acme-9000"));

        Assert.That(error.Message, Does.Contain("'acme-9000'").And.Contain("eastron-sdm630"));
    }
}
