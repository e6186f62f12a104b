using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Tests.Devices;
using CivicEdge.Transports;

namespace CivicEdge.Simulators.Tests.Host;

/// <summary><c>civicsim modbus</c> over RTU on a socat pty and over RTU-over-TCP, with faults, seen by raw masters.</summary>
[Category("Integration")]
public sealed partial class CivicsimModbusTransportTests
{
    [GeneratedRegex(@"^civicsim ready modbus=(?<endpoint>\S+) unit=(?<unit>\S+) model=(?<model>\S+)$")]
    private static partial Regex ReadyLine();

    [Test]
    public async Task Rtu_serves_several_units_on_a_pty_and_announces_its_path()
    {
        using var pty = await SocatPtyPair.StartAsync(CancellationToken.None);
        await using var civicsim = Civicsim.Start(
        [
            "modbus", "--rtu", pty.DevicePath, "--baud", "115200", "--parity", "N", "--profiles-dir", Profiles.Directory,
            "--device", "unit=1,profile=eastron-sdm630", "--device", "unit=2,profile=eastron-sdm630", "--set", "voltage_l1=231.5",
        ]);
        var ready = ReadyLine().Match(await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience));
        using var master = new SerialChannel(new SerialChannelOptions { Path = pty.PeerPath, Parity = Transports.SerialParity.None, ReadTimeout = TimeSpan.FromSeconds(10) });
        await master.OpenAsync(CancellationToken.None);

        await master.SendAsync(Frame(2, "04 0000 0002"), CancellationToken.None);
        var answer = await ReceiveAsync(master, 9);

        Assert.That(ready.Groups["endpoint"].Value, Is.EqualTo(pty.DevicePath));
        Assert.That(ready.Groups["unit"].Value, Is.EqualTo("1,2"));
        Assert.That(ModbusCrc16.Matches(answer), Is.True);
        Assert.That(answer[..3], Is.EqualTo(new byte[] { 2, 4, 4 }));
        Assert.That(BinaryPrimitives.ReadSingleBigEndian(answer.AsSpan(3)), Is.EqualTo(231.5f));
        await civicsim.StopAsync(Civicsim.Patience);
        Assert.That(civicsim.ExitCode, Is.Zero, civicsim.RecentOutput);
    }

    [Test]
    public async Task Rtu_over_tcp_injects_the_faults_asked_for_on_the_command_line()
    {
        await using var civicsim = Civicsim.Start(
        [
            "modbus", "--rtu-over-tcp", "--port", "0", "--profile", "eastron-sdm630", "--unit", "3", "--profiles-dir", Profiles.Directory,
            "--fault", "exception=6:x1", "--fault", "wrong-unit:x1@3",
        ]);
        var ready = ReadyLine().Match(await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience));
        var endpoint = ready.Groups["endpoint"].Value;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var stream = client.GetStream();

        await stream.WriteAsync(Frame(3, "03 0000 0001"));
        var refused = new byte[5];
        await stream.ReadExactlyAsync(refused);
        await stream.WriteAsync(Frame(3, "03 0000 0001"));
        var wrongUnit = new byte[7];
        await stream.ReadExactlyAsync(wrongUnit);
        await stream.WriteAsync(Frame(3, "03 0000 0001"));
        var clean = new byte[7];
        await stream.ReadExactlyAsync(clean);

        Assert.That(refused, Is.EqualTo(Frame(3, "83 06")));
        Assert.That(wrongUnit[0], Is.EqualTo(4));
        Assert.That(clean[..3], Is.EqualTo(new byte[] { 3, 3, 2 }));
        Assert.That(ModbusCrc16.Matches(clean), Is.True);
    }

    [TestCase("--profile eastron-sdm630 --fault late=soon", "--fault: late: expected late=DURATION")]
    [TestCase("--profile eastron-sdm630 --parity X", "--parity: expected N, E or O; found 'X'")]
    [TestCase("--device unit=0,profile=eastron-sdm630", "--device: expected unit=N,profile=MODEL")]
    [TestCase("--profile eastron-sdm630 --rtu /dev/null --rtu-over-tcp", "Expected at most one of --tcp, --rtu and --rtu-over-tcp")]
    public async Task A_bad_option_is_refused_naming_it(string arguments, string expected)
    {
        var (exitCode, output) = await Civicsim.RunAsync(["modbus", .. arguments.Split(' ')]);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain(expected));
    }

    [Test]
    public async Task Profile_and_device_together_are_refused()
    {
        var (exitCode, output) = await Civicsim.RunAsync("modbus", "--profile", "eastron-sdm630", "--device", "unit=2,profile=eastron-sdm630");

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("Expected either --profile (one device) or --device (one or more); found both."));
    }

    [Test]
    public async Task A_missing_serial_device_is_a_clear_error()
    {
        var (exitCode, output) = await Civicsim.RunAsync("modbus", "--rtu", "/nonexistent/ttyX", "--profile", "eastron-sdm630", "--profiles-dir", Profiles.Directory);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("cannot serve on /nonexistent/ttyX").And.Contain("does not exist"));
    }

    private static byte[] Frame(byte unit, string pduHex)
    {
        var pdu = Convert.FromHexString(pduHex.Replace(" ", "", StringComparison.Ordinal));
        var frame = new byte[pdu.Length + ModbusRtuFramer.Overhead];
        ModbusRtuFramer.Encode(frame, unit, pdu);
        return frame;
    }

    private static async Task<byte[]> ReceiveAsync(SerialChannel channel, int count)
    {
        var bytes = new byte[count];
        int received = 0;
        while (received < count)
            received += await channel.ReceiveAsync(bytes.AsMemory(received), CancellationToken.None);
        return bytes;
    }
}
