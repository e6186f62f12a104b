using System.Net;
using System.Text.Json;
using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using SerialParity = CivicEdge.Transports.SerialParity;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

[Category("Integration")]
public sealed class ModbusRtuTests
{
    [Test]
    public async Task Read_and_write_over_rtu_on_a_pty_reach_the_slave_register_bank()
    {
        using var pty = await SocatPtyPair.StartAsync(CancellationToken.None);
        var bank = new RegisterBank();
        bank.Write(RegisterTable.HoldingRegisters, 0, [0x4148, 0x0000]);
        await using var slave = new ModbusRtuSlave(
            new SerialChannelOptions { Path = pty.PeerPath, BaudRate = 115200, Parity = SerialParity.None },
            new Dictionary<byte, RegisterBank> { [7] = bank });
        await slave.StartAsync(CancellationToken.None);
        string[] line = ["--rtu", pty.DevicePath, "--baud", "115200", "--parity", "N", "--unit", "7", "--timeout", "1s"];

        var (readExit, read) = await CivicRun.RunAsync(["modbus", "read", .. line, "0", "1", "--type", "float32", "--json"]);
        var (writeExit, written) = await CivicRun.RunAsync(["modbus", "write", .. line, "10", "-5", "--type", "int32"]);

        Assert.That(readExit, Is.Zero, read);
        using var json = JsonDocument.Parse(read);
        Assert.That(json.RootElement.GetProperty("values")[0].GetProperty("value").GetDouble(), Is.EqualTo(12.5));
        Assert.That(json.RootElement.GetProperty("link").GetString(), Does.Contain("115200 8N1"));
        Assert.That(writeExit, Is.Zero, written);
        var registers = new ushort[2];
        bank.Read(RegisterTable.HoldingRegisters, 10, registers);
        Assert.That(registers, Is.EqualTo(new ushort[] { 0xFFFF, 0xFFFB }));
    }

    [Test]
    public async Task Scan_over_rtu_over_tcp_finds_the_units_behind_the_converter_and_times_out_on_the_rest()
    {
        var units = new Dictionary<byte, RegisterBank> { [2] = new(), [5] = new() };
        await using var converter = new ModbusRtuOverTcpServer(new IPEndPoint(IPAddress.Loopback, 0), units);
        await converter.StartAsync(CancellationToken.None);

        var (exit, output) = await CivicRun.RunAsync(
            "modbus", "scan", "--rtu-over-tcp", $"127.0.0.1:{converter.LocalEndPoint.Port}", "--from", "1", "--to", "6", "--timeout", "300ms", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unit").GetInt32()), Is.EqualTo(new[] { 2, 5 }));
    }

    [Test]
    public async Task A_silent_unit_over_rtu_over_tcp_exits_with_the_timeout_code()
    {
        await using var converter = new ModbusRtuOverTcpServer(
            new IPEndPoint(IPAddress.Loopback, 0), new Dictionary<byte, RegisterBank> { [1] = new() });
        await converter.StartAsync(CancellationToken.None);

        var (exit, output) = await CivicRun.RunAsync(
            "modbus", "read", "--rtu-over-tcp", $"127.0.0.1:{converter.LocalEndPoint.Port}", "--unit", "3", "--timeout", "100ms", "--retries", "0", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Timeout));
        Assert.That(output, Does.Contain("unit 3").And.Contain("did not answer"));
    }

    [Test]
    public async Task Unit_zero_on_a_serial_bus_is_refused_for_reads_because_broadcasts_get_no_answer()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--rtu", "/dev/ttyUSB0", "--unit", "0", "0", "1");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("broadcast"));
    }
}
