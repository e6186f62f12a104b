using CivicEdge.Modbus.Interop.Tests.Peers;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using LineParity = CivicEdge.Transports.SerialParity;

namespace CivicEdge.Modbus.Interop.Tests;

/// <summary>
/// mbpoll and a libmodbus client, two independent Modbus RTU masters, against our <see cref="ModbusRtuSlave"/> across
/// a socat pty pair at 115200 baud 8N1, the slave pacing its answers at that rate.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class PeersAgainstOurRtuSlaveTests
{
    private const int BaudRate = 115200;

    private PtyPair _pty = null!;
    private RegisterBank _bank = null!;
    private ModbusRtuSlave _slave = null!;

    [SetUp]
    public async Task StartSlaveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        _pty = await PtyPair.OpenAsync(timeout.Token);
        _bank = ServedUnit.CreateBank();
        _slave = new ModbusRtuSlave(
            new SerialChannelOptions { Path = _pty.Ours, BaudRate = BaudRate, Parity = LineParity.None },
            new Dictionary<byte, RegisterBank> { [ServedUnit.Unit] = _bank });
        await _slave.StartAsync(timeout.Token);
    }

    [TearDown]
    public async Task StopSlaveAsync()
    {
        await _slave.DisposeAsync();
        await _pty.DisposeAsync();
    }

    [Test]
    public async Task Mbpoll_reads_the_holding_registers_our_slave_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, ["-t", "4", "-r", "0", "-c", "10"], [], timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(Mbpoll.RegistersIn(run.Output), Is.EqualTo(ServedUnit.Holding), run.Transcript);
    }

    [Test]
    public async Task Mbpoll_reads_the_input_registers_our_slave_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, ["-t", "3", "-r", "2", "-c", "5"], [], timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(Mbpoll.RegistersIn(run.Output), Is.EqualTo(ServedUnit.Input[2..7]), run.Transcript);
    }

    [Test]
    public async Task Registers_mbpoll_writes_land_in_the_register_bank()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, ["-t", "4", "-r", "20"], ["11", "22", "33"], timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(Holding(20, 3), Is.EqualTo(new ushort[] { 11, 22, 33 }));
    }

    [Test]
    public async Task Mbpoll_reports_illegal_data_address_for_a_refused_range()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var run = await Mbpoll.OverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, ["-t", "4", "-r", "98", "-c", "4"], [], timeout.Token);

        Assert.That(run.ExitCode, Is.Not.Zero, run.Transcript);
        Assert.That(run.Errors, Does.Contain("Illegal data address"), run.Transcript);
    }

    [Test]
    public async Task The_libmodbus_client_reads_the_holding_registers_our_slave_holds()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.ReadHoldingOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, 0, 10, timeout.Token);

        Assert.That(answer, Is.EqualTo("OK " + string.Join(' ', ServedUnit.Holding)));
    }

    [Test]
    public async Task Registers_the_libmodbus_client_writes_with_function_code_16_land_in_the_register_bank()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.WriteOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, 40, [7, 65535, 0, 1234], timeout.Token);

        Assert.That(answer, Is.EqualTo("OK"));
        Assert.That(Holding(40, 4), Is.EqualTo(new ushort[] { 7, 65535, 0, 1234 }));
    }

    [Test]
    public async Task A_register_the_libmodbus_client_writes_with_function_code_6_lands_in_the_register_bank()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var answer = await LibmodbusClient.WriteOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, 50, [4321], timeout.Token);

        Assert.That(answer, Is.EqualTo("OK"));
        Assert.That(Holding(50, 1), Is.EqualTo(new ushort[] { 4321 }));
    }

    [Test]
    public async Task The_libmodbus_client_gets_exception_02_for_a_refused_read_and_write()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var read = await LibmodbusClient.ReadHoldingOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, 99, 2, timeout.Token);
        var write = await LibmodbusClient.WriteOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, 100, [1, 2], timeout.Token);

        Assert.That(read, Is.EqualTo("EXCEPTION 2"));
        Assert.That(write, Is.EqualTo("EXCEPTION 2"));
        Assert.That(Holding(100, 2), Is.EqualTo(new ushort[] { 0, 0 }), "a refused write must not change the bank");
    }

    [Test]
    public async Task A_raw_read_of_126_registers_from_libmodbus_gets_exception_03_illegal_data_value()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // Modbus Application Protocol V1.1b3 §6.3: quantity of registers 1..125 (0x7D), otherwise exception 03.
        var answer = await LibmodbusClient.SendPduOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, "03 00 00 00 7E", timeout.Token);

        Assert.That(answer, Is.EqualTo("PDU 83 03"));
    }

    [Test]
    public async Task A_function_code_our_slave_does_not_serve_gets_exception_01_illegal_function()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // 0x41 is in the user-defined range 65..72 (§5.1), which no standard slave implements.
        var answer = await LibmodbusClient.SendPduOverRtuAsync(_pty.Theirs, BaudRate, ServedUnit.Unit, "41 00 00", timeout.Token);

        Assert.That(answer, Is.EqualTo("PDU C1 01"));
    }

    private ushort[] Holding(ushort address, int count)
    {
        var values = new ushort[count];
        _bank.Read(RegisterTable.HoldingRegisters, address, values);
        return values;
    }
}
