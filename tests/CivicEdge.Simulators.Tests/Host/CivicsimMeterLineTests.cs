using System.Text.RegularExpressions;
using CivicEdge.MBus;
using CivicEdge.Transports;

namespace CivicEdge.Simulators.Tests.Host;

/// <summary><c>civicsim mbus|cjt188|dlt645</c> as a real process: its ready line, a meter read through it, and its refusals of bad options.</summary>
[Category("Integration")]
public sealed partial class CivicsimMeterLineTests
{
    [GeneratedRegex(@"^civicsim ready (?<protocol>mbus|cjt188|dlt645)=(?<endpoint>\S+) meters=(?<meters>\S+)$")]
    private static partial Regex ReadyLine();

    [Test]
    public async Task Civicsim_mbus_serves_heat_meters_on_a_pty_that_the_gateways_master_reads()
    {
        using var pty = await SocatPtyPair.StartAsync(CancellationToken.None);
        await using var civicsim = Civicsim.Start(["mbus", "--serial", pty.PeerPath, "--baud", "9600", "--meter", "5", "--meter", "6:12345678", "--set", "supply_temperature=65.5"]);

        var ready = ReadyLine().Match(await civicsim.WaitForLineAsync(l => l.StartsWith("civicsim ready", StringComparison.Ordinal), Civicsim.Patience));
        await using var master = new MbusMaster(new SerialChannel(new SerialChannelOptions { Path = pty.DevicePath, BaudRate = 9600 }), new MbusMasterOptions { Retries = 0 });
        var result = await master.ReadAsync(6, CancellationToken.None);

        Assert.That((ready.Groups["protocol"].Value, ready.Groups["endpoint"].Value, ready.Groups["meters"].Value), Is.EqualTo(("mbus", pty.PeerPath, "5,6")));
        Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Ok), result.Error);
        Assert.That(result.Telegrams[0].Header!.Identification, Is.EqualTo(12345678));
        Assert.That(result.Records.Single(r => r.Quantity == "Flow temperature").Value, Is.EqualTo(65.5).Within(1e-9));
    }

    [TestCase("dlt645 --port 0 --meter 1234", "civicsim: --meter: expected 12 digits; found '1234'.")]
    [TestCase("cjt188 --port 0 --di-order big", "civicsim: --di-order: expected high-byte-first or low-byte-first; found 'big'.")]
    [TestCase("mbus --port 0 --set voltage=1", "civicsim: --set: the mbus meters' model has no point 'voltage'.")]
    [TestCase("mbus --port 0 --fault gone", "--fault: expected gone=DURATION")]
    [TestCase("mbus --baud 2400", "Expected either --serial PATH or --port N (a transparent converter); found neither.")]
    public async Task A_bad_option_is_refused_with_what_was_expected(string arguments, string expected)
    {
        var (exitCode, output) = await Civicsim.RunAsync(arguments.Split(' '));

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain(expected));
    }

    [Test]
    public async Task Civicsim_modbus_refuses_a_meter_profile_and_names_the_command_that_serves_it()
    {
        var (exitCode, output) = await Civicsim.RunAsync("modbus", "--profile", "dlt645-1997-meter", "--port", "0");

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Does.Contain("profile dlt645-1997-meter is a dlt645-1997 meter; expected a modbus profile (serve dlt645-1997 meters with civicsim dlt645)."));
    }
}
