using System.Text.RegularExpressions;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Tests.Devices;

namespace CivicEdge.Simulators.Tests.Host;

[Category("Integration")]
public sealed partial class CivicsimTests
{
    [GeneratedRegex(@"^civicsim ready modbus=(?<host>[0-9.]+):(?<port>\d+) unit=(?<unit>\d+) model=(?<model>\S+)$")]
    private static partial Regex ReadyLine();

    private static async Task<double> ReadFloatAsync(string host, int port, byte unit, ushort address)
    {
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = host, Port = port });
        var registers = new ushort[2];
        var result = await master.ReadRegistersAsync(unit, RegisterTable.InputRegisters, address, registers, CancellationToken.None);
        Assert.That(result.IsOk, Is.True, result.ToString());
        return RegisterValueCodec.Decode(registers, RegisterDataType.Float32, RegisterOrder.ABCD);
    }

    [Test]
    public async Task Modbus_serves_the_profile_on_the_port_it_announces_and_stops_cleanly_on_sigterm()
    {
        await using var civicsim = Civicsim.Start(
        [
            "modbus", "--profile", "eastron-sdm630", "--profiles-dir", Profiles.Directory,
            "--port", "0", "--unit", "7", "--seed", "42", "--update-interval", "200ms", "--set", "voltage_l1=231.5", "frequency=50.01",
        ]);

        var line = await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience);
        var ready = ReadyLine().Match(line);
        Assert.That(ready.Success, Is.True, $"ready line: {line}");
        var port = int.Parse(ready.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready.Groups["host"].Value, Is.EqualTo("127.0.0.1"));
            Assert.That(ready.Groups["unit"].Value, Is.EqualTo("7"));
            Assert.That(ready.Groups["model"].Value, Is.EqualTo("eastron-sdm630"));
            Assert.That(port, Is.GreaterThan(0));
            Assert.That(await ReadFloatAsync("127.0.0.1", port, 7, 0x0000), Is.EqualTo(231.5));
            Assert.That(await ReadFloatAsync("127.0.0.1", port, 7, 0x0046), Is.EqualTo(50.01f));
            Assert.That(await ReadFloatAsync("127.0.0.1", port, 7, 0x0002), Is.InRange(225.4, 234.6));
        }

        await civicsim.StopAsync(Civicsim.Patience);
        Assert.That(civicsim.ExitCode, Is.Zero, civicsim.RecentOutput);
        Assert.That(civicsim.StandardOutput.Trim(), Is.EqualTo(line), "the ready line is all that goes to stdout");
    }

    [Test]
    public async Task Modbus_serves_a_lamp_controller_with_its_relay_coil_dimming_register_and_status_bits()
    {
        await using var civicsim = Civicsim.Start(
            ["modbus", "--profile", "civicedge-slc1", "--profiles-dir", Profiles.Directory, "--port", "0", "--seed", "5", "--update-interval", "200ms"]);
        var line = await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience);
        var port = int.Parse(ReadyLine().Match(line).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port });

        var relay = new bool[1];
        var dimming = new ushort[1];
        var inputs = new ushort[6];
        var results = new[]
        {
            await master.ReadBitsAsync(1, RegisterTable.Coils, 0, relay, CancellationToken.None),
            await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, dimming, CancellationToken.None),
            await master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 0, inputs, CancellationToken.None),
        };

        Assert.That(results.Select(r => r.IsOk), Has.All.True, string.Join("; ", results));
        Assert.That((relay[0], dimming[0]), Is.EqualTo((true, (ushort)80)), "lit at 80 % after power-up");
        Assert.That(inputs[0] * 0.1, Is.InRange(220.0, 240.0), "lamp voltage in tenths of a volt");
        Assert.That(inputs[2] * 0.1, Is.InRange(80.0, 110.0), "lamp power in tenths of a watt");
        Assert.That(inputs[5] & 0x0001, Is.EqualTo(1), "status bit 0: the lamp is lit");
        Assert.That((inputs[5] >> 4) & 0x000F, Is.EqualTo(3), "bits 4-7: under gateway command");
    }

    [Test]
    public async Task Modbus_takes_its_profiles_from_the_environment_when_no_directory_is_given()
    {
        var directory = Directory.CreateTempSubdirectory("civicsim-profiles-").FullName;
        try
        {
            var sdm630 = await File.ReadAllTextAsync(Path.Combine(Profiles.Directory, "eastron-sdm630.yaml"));
            await File.WriteAllTextAsync(Path.Combine(directory, "site-meter.yaml"), sdm630.Replace("model: eastron-sdm630", "model: site-meter", StringComparison.Ordinal));
            await using var civicsim = Civicsim.Start(
                ["modbus", "--profile", "site-meter", "--port", "0"],
                new Dictionary<string, string> { ["CIVICEDGE_PROFILES"] = directory });

            var line = await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience);

            Assert.That(line, Does.EndWith(" unit=1 model=site-meter"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task An_unknown_model_exits_non_zero_naming_the_models_there_are()
    {
        var (exitCode, output) = await Civicsim.RunAsync("modbus", "--profile", "acme-9000", "--profiles-dir", Profiles.Directory);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("No hardware profile for model 'acme-9000'").And.Contain("known models: ").And.Contain("eastron-sdm630"));
    }

    [Test]
    public async Task A_broken_profile_exits_non_zero_with_the_loaders_file_line_and_field()
    {
        var directory = Directory.CreateTempSubdirectory("civicsim-profiles-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "broken.yaml"),
                "schema: civicedge.profile/v1\nmodel: broken\nmanufacturer: X\nprotocol: modbus\npoints:\n  - { name: v, table: input, address: 0, type: float, unit: V }\n");

            var (exitCode, output) = await Civicsim.RunAsync("modbus", "--profile", "broken", "--profiles-dir", directory);

            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(output, Does.Contain("broken.yaml:6: points[0].type: expected one of int16, uint16, int32, uint32, int64, float32, float64").And.Contain("found 'float'"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Pinning_a_point_the_profile_lacks_exits_non_zero_listing_its_points()
    {
        var (exitCode, output) = await Civicsim.RunAsync("modbus", "--profile", "eastron-sdm630", "--profiles-dir", Profiles.Directory, "--set", "voltage_l4=230");

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("profile eastron-sdm630 has no point 'voltage_l4'").And.Contain("voltage_l1"));
    }

    [TestCase("--set", "voltage_l1", "--set: expected name=value with a finite number in invariant notation, e.g. voltage_l1=231.5; found 'voltage_l1'")]
    [TestCase("--update-interval", "0s", "--update-interval: expected a positive duration")]
    [TestCase("--bind", "localhost:5020", "--bind: expected an IP address such as 127.0.0.1, 0.0.0.0 or ::1; found 'localhost:5020'")]
    public async Task A_malformed_option_exits_non_zero_saying_what_was_expected(string option, string value, string message)
    {
        var (exitCode, output) = await Civicsim.RunAsync("modbus", "--profile", "eastron-sdm630", option, value);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain(message));
    }

    [Test]
    public async Task Help_lists_the_modbus_command()
    {
        var (exitCode, output) = await Civicsim.RunAsync("--help");

        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain("modbus"));
    }
}
