using System.Net;
using CivicEdge.Modbus.Interop.Tests.Peers;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Interop.Tests;

/// <summary>
/// mbpoll and a libmodbus client, two independent Modbus TCP masters, against our <see cref="ModbusTcpServer"/>.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class PeersAgainstOurTcpServerTests
{
    private RegisterBank _bank = null!;
    private ModbusTcpServer _server = null!;

    private int Port => _server.LocalEndPoint.Port;

    [SetUp]
    public async Task StartServerAsync()
    {
        _bank = ServedUnit.CreateBank();
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == ServedUnit.Unit ? _bank : null);
        await _server.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Mbpoll_reads_the_holding_registers_our_server_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverTcpAsync(Port, ServedUnit.Unit, ["-t", "4", "-r", "0", "-c", "10"], [], timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(Mbpoll.RegistersIn(run.Output), Is.EqualTo(ServedUnit.Holding), run.Transcript);
    }

    [Test]
    public async Task Mbpoll_reads_the_input_registers_our_server_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverTcpAsync(Port, ServedUnit.Unit, ["-t", "3", "-r", "2", "-c", "5"], [], timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(Mbpoll.RegistersIn(run.Output), Is.EqualTo(ServedUnit.Input[2..7]), run.Transcript);
    }

    [Test]
    public async Task Registers_mbpoll_writes_land_in_the_register_bank()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverTcpAsync(Port, ServedUnit.Unit, ["-t", "4", "-r", "20"], ["11", "22", "33"], timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(Holding(20, 3), Is.EqualTo(new ushort[] { 11, 22, 33 }));
    }

    [Test]
    public async Task Mbpoll_reports_illegal_data_address_for_a_refused_range()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverTcpAsync(Port, ServedUnit.Unit, ["-t", "4", "-r", "98", "-c", "4"], [], timeout.Token);

        Assert.That(run.ExitCode, Is.Not.Zero, run.Transcript);
        Assert.That(run.Errors, Does.Contain("Illegal data address"), run.Transcript);
    }

    [Test]
    public async Task The_libmodbus_client_reads_the_holding_registers_our_server_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.ReadHoldingOverTcpAsync(Port, ServedUnit.Unit, 0, 10, timeout.Token);

        Assert.That(answer, Is.EqualTo("OK " + string.Join(' ', ServedUnit.Holding)));
    }

    [Test]
    public async Task The_libmodbus_client_reads_the_input_registers_our_server_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.ReadInputOverTcpAsync(Port, ServedUnit.Unit, 0, 10, timeout.Token);

        Assert.That(answer, Is.EqualTo("OK " + string.Join(' ', ServedUnit.Input)));
    }

    [Test]
    public async Task Registers_the_libmodbus_client_writes_with_function_code_16_land_in_the_register_bank()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.WriteOverTcpAsync(Port, ServedUnit.Unit, 40, [7, 65535, 0, 1234], timeout.Token);

        Assert.That(answer, Is.EqualTo("OK"));
        Assert.That(Holding(40, 4), Is.EqualTo(new ushort[] { 7, 65535, 0, 1234 }));
    }

    [Test]
    public async Task A_register_the_libmodbus_client_writes_with_function_code_6_lands_in_the_register_bank()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.WriteOverTcpAsync(Port, ServedUnit.Unit, 50, [4321], timeout.Token);

        Assert.That(answer, Is.EqualTo("OK"));
        Assert.That(Holding(50, 1), Is.EqualTo(new ushort[] { 4321 }));
    }

    [Test]
    public async Task The_libmodbus_client_gets_exception_02_for_a_refused_read_and_write()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var read = await LibmodbusClient.ReadHoldingOverTcpAsync(Port, ServedUnit.Unit, 99, 2, timeout.Token);
        var write = await LibmodbusClient.WriteOverTcpAsync(Port, ServedUnit.Unit, 100, [1, 2], timeout.Token);

        Assert.That(read, Is.EqualTo("EXCEPTION 2"));
        Assert.That(write, Is.EqualTo("EXCEPTION 2"));
        Assert.That(Holding(100, 2), Is.EqualTo(new ushort[] { 0, 0 }), "a refused write must not change the bank");
    }

    [Test]
    public async Task A_raw_read_of_126_registers_from_libmodbus_gets_exception_03_illegal_data_value()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // Modbus Application Protocol V1.1b3 §6.3: quantity of registers 1..125 (0x7D), otherwise exception 03.
        var answer = await LibmodbusClient.SendPduOverTcpAsync(Port, ServedUnit.Unit, "03 00 00 00 7E", timeout.Token);

        Assert.That(answer, Is.EqualTo("PDU 83 03"));
    }

    [Test]
    public async Task A_function_code_our_server_does_not_serve_gets_exception_01_illegal_function()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // 0x41 is in the user-defined range 65..72 (§5.1), which no standard slave implements.
        var answer = await LibmodbusClient.SendPduOverTcpAsync(Port, ServedUnit.Unit, "41 00 00", timeout.Token);

        Assert.That(answer, Is.EqualTo("PDU C1 01"));
    }

    [Test]
    public async Task The_libmodbus_client_gets_exception_0B_for_a_unit_that_is_not_there()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.ReadHoldingOverTcpAsync(Port, ServedUnit.AbsentUnit, 0, 1, timeout.Token);

        Assert.That(answer, Is.EqualTo("EXCEPTION 11"));
    }

    private ushort[] Holding(ushort address, int count)
    {
        var values = new ushort[count];
        _bank.Read(RegisterTable.HoldingRegisters, address, values);
        return values;
    }
}
