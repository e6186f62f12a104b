using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Tests.Devices;

namespace CivicEdge.Simulators.Tests.Host;

/// <summary><c>civicsim firmware</c> as a real process: firmware meter nodes on one RTU-over-TCP bus, read by a raw master.</summary>
[Category("Integration")]
public sealed partial class CivicsimFirmwareTests
{
    [GeneratedRegex(@"^civicsim ready modbus=(?<endpoint>\S+) unit=(?<unit>\S+) model=(?<model>\S+)$")]
    private static partial Regex ReadyLine();

    [Test]
    public async Task Meter_nodes_at_consecutive_units_count_their_scripted_flow_and_show_reverse_flow_and_a_magnet()
    {
        await using var civicsim = Civicsim.Start(
        [
            "firmware", "meter-node", "--count", "3", "--first-unit", "11", "--rtu-over-tcp", "127.0.0.1:0",
            "--script", "0s flow 36000; 0s reverse 36000 @2; 0s magnet on @3",
        ]);
        var ready = ReadyLine().Match(await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience));
        var endpoint = ready.Groups["endpoint"].Value;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var forward = await ReadAsync(stream, 11, 0x0000, 8);
        var reverse = await ReadAsync(stream, 12, 0x0000, 8);
        var magnet = await ReadAsync(stream, 13, 0x0000, 8);

        Assert.Multiple(() =>
        {
            Assert.That(ready.Groups["unit"].Value, Is.EqualTo("11,12,13"));
            Assert.That(ready.Groups["model"].Value, Is.EqualTo("civicedge-meter-node"));
            Assert.That(forward[1], Is.GreaterThan(0), "10 L/s forward: whole litres counted");
            Assert.That(forward[7], Is.Zero);
            Assert.That(reverse[3], Is.GreaterThan(0), "reverse total grows");
            Assert.That(reverse[7] & 0x0004, Is.Not.Zero, "reverse-flow bit");
            Assert.That(magnet[7] & 0x0010, Is.Not.Zero, "magnet bit");
        });
        await civicsim.StopAsync(Civicsim.Patience);
        Assert.That(civicsim.ExitCode, Is.Zero, civicsim.RecentOutput);
    }

    [Test]
    public async Task Pole_controllers_serve_the_slc1_map_at_consecutive_units_with_their_scripted_mains()
    {
        await using var civicsim = Civicsim.Start(
            ["firmware", "pole", "--count", "2", "--first-unit", "5", "--rtu-over-tcp", "127.0.0.1:0", "--script", "0s mains 190 @2"]);
        var ready = ReadyLine().Match(await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience));
        var endpoint = ready.Groups["endpoint"].Value;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var first = await ReadAsync(stream, 5, 0x0000, 10, function: 0x04);
        var second = await ReadAsync(stream, 6, 0x0000, 10, function: 0x04);
        var serial = await ReadAsync(stream, 6, 0x0100, 4);

        Assert.Multiple(() =>
        {
            Assert.That(ready.Groups["unit"].Value, Is.EqualTo("5,6"));
            Assert.That(ready.Groups["model"].Value, Is.EqualTo("civicedge-slc1"));
            Assert.That(first[0], Is.InRange(2290, 2310), "230 V");
            Assert.That(second[0], Is.InRange(1890, 1910), "scripted 190 V");
            Assert.That(new string([.. serial.SelectMany(r => new[] { (char)(r >> 8), (char)(r & 0xFF) })]), Is.EqualTo("SLC00006"));
        });
        await civicsim.StopAsync(Civicsim.Patience);
        Assert.That(civicsim.ExitCode, Is.Zero, civicsim.RecentOutput);
    }

    [Test]
    public async Task Updatable_poles_share_one_line_each_answering_its_own_unit_with_the_slc1_map_and_its_update_block()
    {
        await using var civicsim = Civicsim.Start(
            ["firmware", "pole", "--count", "3", "--first-unit", "5", "--rtu-over-tcp", "127.0.0.1:0", "--updatable", "--firmware-version", "1.2.3", "--script", "0s mains 190 @2"]);
        var line = await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience);
        var endpoint = line.Split(' ')[2]["modbus=".Length..];
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var first = await ReadAsync(stream, 5, 0x0000, 10, function: 0x04);
        var second = await ReadAsync(stream, 6, 0x0000, 10, function: 0x04);
        var serial = await ReadAsync(stream, 7, 0x0100, 4);
        var running = await ReadAsync(stream, 7, 0xFF00 + 31, 8);

        Assert.Multiple(() =>
        {
            Assert.That(line, Does.EndWith("unit=5,6,7 model=civicedge-slc1 firmware=1.2.3"));
            Assert.That(first[0], Is.InRange(2290, 2310), "230 V");
            Assert.That(second[0], Is.InRange(1890, 1910), "scripted 190 V");
            Assert.That(Text(serial), Is.EqualTo("SLC00007"));
            Assert.That(Text(running).TrimEnd('\0'), Is.EqualTo("1.2.3"), "the running version in the update block (hardware/ota/modbus-update.md)");
        });
        await civicsim.StopAsync(Civicsim.Patience);
        Assert.That(civicsim.ExitCode, Is.Zero, civicsim.RecentOutput);
    }

    [TestCase("pole --updatable --count 2 --fails-update 3", "--fails-update: expected units among 1..2 separated by commas, e.g. 2,5; found '3'.")]
    [TestCase("pole --updatable --fails-update one", "--fails-update: expected units among 1..1")]
    [TestCase("pole --fails-update 1", "--fails-update: expected --updatable with it")]
    [TestCase("pole --updatable --firmware-version banana", "--firmware-version: expected a semantic version of at most 16 characters, e.g. 1.0.0; found 'banana'.")]
    [TestCase("pole --script \"1m tilt steep @1\"", "--script: step at 00:01:00: tilt: expected degrees from vertical, 0..90")]
    [TestCase("pole --latitude 95", "Setting Latitude")]
    [TestCase("meter-node --script \"0s tilt 5\"", "--script: step 1 '0s tilt 5': expected an action, one of flow, reverse, magnet, cable")]
    [TestCase("meter-node --script \"0s flow fast\"", "--script: step at 00:00:00: flow: expected litres per hour")]
    [TestCase("meter-node --count 200 --first-unit 100", "--count and --first-unit: expected devices at units within 1..247; found 200 from unit 100.")]
    [TestCase("environment --script \"1m silent 9\"", "silent: expected a transmitter's unit, one of 1, 2, 3, 4; found '9'")]
    public async Task A_bad_option_or_script_is_refused_at_start_naming_it(string arguments, string expected)
    {
        var (exitCode, output) = await Civicsim.RunAsync(["firmware", .. Split(arguments), "--rtu-over-tcp", "127.0.0.1:0", "--profiles-dir", Profiles.Directory]);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(output, Does.Contain(expected));
        });
    }

    private static string Text(ushort[] registers) =>
        new([.. registers.SelectMany(r => new[] { (char)(r >> 8), (char)(r & 0xFF) })]);

    private static string[] Split(string arguments) =>
        [.. Regex.Matches(arguments, "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"'))];

    private static async Task<ushort[]> ReadAsync(NetworkStream stream, byte unit, ushort address, int count, byte function = 0x03)
    {
        var request = new byte[8];
        ModbusRtuFramer.Encode(request, unit, [function, (byte)(address >> 8), (byte)address, 0, (byte)count]);
        await stream.WriteAsync(request);
        var answer = new byte[5 + (2 * count)];
        await stream.ReadExactlyAsync(answer);
        Assert.That(ModbusCrc16.Matches(answer), Is.True);
        return [.. Enumerable.Range(0, count).Select(i => (ushort)((answer[3 + (2 * i)] << 8) | answer[4 + (2 * i)]))];
    }
}
