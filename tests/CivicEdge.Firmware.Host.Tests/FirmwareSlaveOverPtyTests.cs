using CivicEdge.Firmware.Host.Tests.Support;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using GatewayException = CivicEdge.Protocols.Modbus.ModbusExceptionCode;
using FirmwareSlave = CivicEdge.Firmware.Core.Modbus.ModbusRtuSlave;

namespace CivicEdge.Firmware.Host.Tests;

/// <summary>
/// The firmware's Modbus RTU slave on one end of a socat pty pair at 115200 baud 8N1, polled from the other end by
/// two independent masters: our gateway's <see cref="ModbusRtuMaster"/> and mbpoll (libmodbus).
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FirmwareSlaveOverPtyTests
{
    private const int Baud = 115200;
    private const byte Unit = 7;

    private PtyPair _pty = null!;
    private SerialDeviceLink _link = null!;
    private RegisterFile _registers = null!;
    private FirmwareSlave _slave = null!;
    private SlaveThread _serving = null!;

    [SetUp]
    public void StartSlave()
    {
        _pty = PtyPair.Open();
        _link = new SerialDeviceLink(_pty.Device, Baud);
        _registers = RegisterFile.WithPattern();
        _slave = new FirmwareSlave(_link, _registers, Unit);
        _serving = new SlaveThread(_slave);
    }

    [TearDown]
    public void StopSlave()
    {
        try
        {
            _serving.Dispose();
        }
        finally
        {
            _link.Dispose();
            _pty.Dispose();
        }
    }

    [Test]
    public async Task The_gateway_master_reads_the_holding_registers_the_slave_serves()
    {
        await using var master = GatewayMaster();
        var values = new ushort[10];

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 5, values, Timeout());

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(values, Is.EqualTo(Enumerable.Range(1005, 10).Select(v => (ushort)v)));
    }

    [Test]
    public async Task The_gateway_master_reads_input_registers_and_discrete_inputs()
    {
        await using var master = GatewayMaster();
        var registers = new ushort[3];
        var bits = new bool[7];

        var registerResult = await master.ReadRegistersAsync(Unit, RegisterTable.InputRegisters, 90, registers, Timeout());
        var bitResult = await master.ReadBitsAsync(Unit, RegisterTable.DiscreteInputs, 0, bits, Timeout());

        Assert.That(registerResult.IsOk && bitResult.IsOk, Is.True, $"{registerResult} / {bitResult}");
        Assert.That(registers, Is.EqualTo(new ushort[] { 2090, 2091, 2092 }));
        Assert.That(bits, Is.EqualTo(new[] { true, false, false, true, false, false, true }));
    }

    [Test]
    public async Task Registers_and_coils_the_gateway_master_writes_land_in_the_data_model()
    {
        await using var master = GatewayMaster();

        var single = await master.WriteRegistersAsync(Unit, 20, new ushort[] { 4321 }, Timeout());
        var multiple = await master.WriteRegistersAsync(Unit, 30, new ushort[] { 7, 65535, 0, 1234 }, Timeout());
        var coil = await master.WriteCoilsAsync(Unit, 3, new[] { true }, Timeout());
        var coils = await master.WriteCoilsAsync(Unit, 10, new[] { true, false, true, true, false, false, true, true, true }, Timeout());

        Assert.That(new[] { single, multiple, coil, coils }.All(r => r.IsOk), Is.True, $"{single} / {multiple} / {coil} / {coils}");
        Assert.That(_registers.Holding[20], Is.EqualTo(4321));
        Assert.That(_registers.Holding[30..34], Is.EqualTo(new ushort[] { 7, 65535, 0, 1234 }));
        Assert.That(_registers.Coils[3], Is.True);
        Assert.That(_registers.Coils[10..19], Is.EqualTo(new[] { true, false, true, true, false, false, true, true, true }));
    }

    [Test]
    public async Task The_gateway_master_gets_exception_02_for_a_range_the_slave_does_not_serve()
    {
        await using var master = GatewayMaster();

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 98, new ushort[4], Timeout());

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception));
        Assert.That(result.ExceptionCode, Is.EqualTo(GatewayException.IllegalDataAddress));
    }

    [Test]
    public async Task A_request_for_another_unit_times_out_at_the_gateway_and_the_slave_counts_it_on_the_bus()
    {
        await using var master = GatewayMaster(TimeSpan.FromMilliseconds(200));

        var result = await master.ReadRegistersAsync(Unit + 1, RegisterTable.HoldingRegisters, 0, new ushort[1], Timeout());

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Timeout));
        Assert.That(_slave.BusMessages, Is.EqualTo(1));
        Assert.That(_slave.SlaveMessages, Is.Zero);
    }

    [Test]
    public async Task Mbpoll_reads_the_holding_registers_the_slave_serves()
    {
        var run = await MbpollRun.OverRtuAsync(_pty.Peer, Baud, Unit, ["-t", "4", "-r", "0", "-c", "8"], [], Timeout());

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(run.Values, Is.EqualTo(Enumerable.Range(1000, 8)), run.Transcript);
    }

    [Test]
    public async Task Mbpoll_reads_the_coils_the_slave_serves()
    {
        _registers.Coils[2] = true;
        _registers.Coils[4] = true;

        var run = await MbpollRun.OverRtuAsync(_pty.Peer, Baud, Unit, ["-t", "0", "-r", "0", "-c", "6"], [], Timeout());

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(run.Values, Is.EqualTo(new[] { 0, 0, 1, 0, 1, 0 }), run.Transcript);
    }

    [Test]
    public async Task Registers_mbpoll_writes_land_in_the_data_model()
    {
        var run = await MbpollRun.OverRtuAsync(_pty.Peer, Baud, Unit, ["-t", "4", "-r", "40"], ["11", "22", "33"], Timeout());

        Assert.That(run.ExitCode, Is.Zero, run.Transcript);
        Assert.That(_registers.Holding[40..43], Is.EqualTo(new ushort[] { 11, 22, 33 }));
    }

    [Test]
    public async Task Mbpoll_reports_illegal_data_address_for_a_range_the_slave_refuses()
    {
        var run = await MbpollRun.OverRtuAsync(_pty.Peer, Baud, Unit, ["-t", "3", "-r", "97", "-c", "5"], [], Timeout());

        Assert.That(run.ExitCode, Is.Not.Zero, run.Transcript);
        Assert.That(run.Errors + run.Output, Does.Contain("Illegal data address"), run.Transcript);
    }

    private ModbusRtuMaster GatewayMaster(TimeSpan? responseTimeout = null) =>
        ModbusRtuMaster.OverSerial(
            new SerialChannelOptions { Path = _pty.Peer, BaudRate = Baud, Parity = CivicEdge.Transports.SerialParity.None },
            new ModbusRtuMasterOptions { ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(2), Retries = 0 });

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;
}
