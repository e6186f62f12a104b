using CivicEdge.Firmware.Environment;
using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Firmware;
using CivicEdge.Simulators.Tests.Devices;

namespace CivicEdge.Simulators.Tests.Firmware;

[Category("Unit")]
public sealed class EnvironmentStationDeviceTests
{
    private static readonly DateTimeOffset Start = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_master_reads_a_completed_window_of_plausible_weather_from_the_first_request()
    {
        var device = new EnvironmentStationDevice(Start, ProfileLoader.LoadDirectory(Profiles.Directory), new Random(7), windowSeconds: 60);

        var block = Read(device, EnvironmentRegisterMap.WindowBlock(Quantity.Temperature), 4);

        Assert.Multiple(() =>
        {
            Assert.That((short)block[0] / 10.0, Is.InRange(-40, 50));
            Assert.That((short)block[1], Is.LessThanOrEqualTo((short)block[0]));
            Assert.That((short)block[2], Is.GreaterThanOrEqualTo((short)block[0]));
            Assert.That(block[3], Is.EqualTo(12), "two transmitters measure temperature, six samples each");
        });
    }

    [Test]
    public void A_silenced_transmitter_is_flagged_by_the_firmware_and_cleared_when_it_answers_again()
    {
        var device = new EnvironmentStationDevice(Start, ProfileLoader.LoadDirectory(Profiles.Directory), new Random(7), windowSeconds: 60);

        Assert.That(device.Apply("silent", "3"), Is.Null);
        device.Update(Start.AddSeconds(35));
        var silent = Read(device, EnvironmentRegisterMap.SilentSensors, 1)[0];
        device.Apply("answer", "3");
        device.Update(Start.AddSeconds(45));

        Assert.Multiple(() =>
        {
            Assert.That(silent, Is.EqualTo(1 << 2), "the PM transmitter is the third configured");
            Assert.That(Read(device, EnvironmentRegisterMap.SilentSensors, 1)[0], Is.Zero);
        });
    }

    [Test]
    public void Silencing_a_unit_that_is_not_on_the_bus_is_refused_naming_the_units_there_are()
    {
        var device = new EnvironmentStationDevice(Start, ProfileLoader.LoadDirectory(Profiles.Directory), new Random(7), windowSeconds: 60);

        Assert.That(device.Apply("silent", "9"), Is.EqualTo("silent: expected a transmitter's unit, one of 1, 2, 3, 4; found '9'"));
    }

    private static ushort[] Read(EnvironmentStationDevice device, int address, int count)
    {
        var values = new ushort[count];
        device.Bank.Read(RegisterTable.HoldingRegisters, (ushort)address, values);
        return values;
    }
}
