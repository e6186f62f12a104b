using CivicEdge.Modbus.Interop.Tests.Peers;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using LineParity = CivicEdge.Transports.SerialParity;

namespace CivicEdge.Modbus.Interop.Tests;

/// <summary>
/// Our masters against pymodbus, an independent Modbus slave, as a real process: <see cref="ModbusTcpMaster"/> over
/// Modbus TCP, <see cref="ModbusRtuMaster"/> over RTU over TCP, and <see cref="ModbusRtuMaster"/> on a socat pty pair
/// at 115200 baud 8N1.
/// </summary>
[TestFixture(PymodbusLink.Tcp)]
[TestFixture(PymodbusLink.RtuOverTcp)]
[TestFixture(PymodbusLink.Rtu)]
[Category("Integration")]
[NonParallelizable]
public sealed class MasterAgainstPymodbusTests(PymodbusLink link)
{
    private const int BaudRate = 115200;

    private PtyPair? _pty;
    private PymodbusServer _server = null!;
    private IModbusMaster _master = null!;

    [OneTimeSetUp]
    public async Task StartPymodbusAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        if (link == PymodbusLink.Rtu)
            _pty = await PtyPair.OpenAsync(timeout.Token);
        _server = await PymodbusServer.StartAsync(link, _pty?.Theirs, timeout.Token);
        var rtu = new ModbusRtuMasterOptions { BaudRate = BaudRate, ResponseTimeout = TimeSpan.FromSeconds(3), Retries = 0 };
        _master = link switch
        {
            PymodbusLink.Tcp => new ModbusTcpMaster(new ModbusTcpMasterOptions
            {
                Host = "127.0.0.1",
                Port = _server.Port,
                ResponseTimeout = TimeSpan.FromSeconds(3),
                Retries = 0,
            }),
            PymodbusLink.RtuOverTcp => ModbusRtuMaster.OverTcp("127.0.0.1", _server.Port, rtu),
            _ => ModbusRtuMaster.OverSerial(new SerialChannelOptions { Path = _pty!.Ours, BaudRate = BaudRate, Parity = LineParity.None }, rtu),
        };
    }

    [OneTimeTearDown]
    public async Task StopPymodbusAsync()
    {
        if (_master is not null)
            await _master.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
        if (_pty is not null)
            await _pty.DisposeAsync();
    }

    [Test]
    public async Task Reading_holding_registers_returns_the_values_pymodbus_serves()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var registers = new ushort[5];

        var result = await _master.ReadRegistersAsync(PymodbusServer.Unit, RegisterTable.HoldingRegisters, 0, registers, timeout.Token);

        Assert.That(result.IsOk, Is.True, $"{result}\n{_server.Transcript}");
        Assert.That(registers, Is.EqualTo(new ushort[] { 100, 101, 102, 103, 104 }));
    }

    [Test]
    public async Task Reading_input_registers_returns_the_values_pymodbus_serves()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var registers = new ushort[PymodbusServer.MappedRegisters];

        var result = await _master.ReadRegistersAsync(PymodbusServer.Unit, RegisterTable.InputRegisters, 0, registers, timeout.Token);

        Assert.That(result.IsOk, Is.True, $"{result}\n{_server.Transcript}");
        Assert.That(registers, Is.EqualTo(Enumerable.Range(PymodbusServer.FirstInputValue, PymodbusServer.MappedRegisters).Select(v => (ushort)v)));
    }

    [Test]
    public async Task Registers_written_with_function_code_16_read_back_from_pymodbus()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ushort[] written = [4242, 0, 65535];
        var readBack = new ushort[3];

        var write = await _master.WriteRegistersAsync(PymodbusServer.Unit, 6, written, timeout.Token);
        var read = await _master.ReadRegistersAsync(PymodbusServer.Unit, RegisterTable.HoldingRegisters, 6, readBack, timeout.Token);

        Assert.That(write.IsOk, Is.True, $"{write}\n{_server.Transcript}");
        Assert.That(read.IsOk, Is.True, $"{read}\n{_server.Transcript}");
        Assert.That(readBack, Is.EqualTo(written));
    }

    [Test]
    public async Task A_register_written_with_function_code_6_reads_back_from_pymodbus()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var readBack = new ushort[1];

        var write = await _master.WriteRegistersAsync(PymodbusServer.Unit, 5, new ushort[] { 31337 }, timeout.Token);
        var read = await _master.ReadRegistersAsync(PymodbusServer.Unit, RegisterTable.HoldingRegisters, 5, readBack, timeout.Token);

        Assert.That(write.IsOk, Is.True, $"{write}\n{_server.Transcript}");
        Assert.That(read.IsOk, Is.True, $"{read}\n{_server.Transcript}");
        Assert.That(readBack[0], Is.EqualTo(31337));
    }

    [Test]
    public async Task Reading_past_the_mapped_registers_reports_exception_02_illegal_data_address()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var result = await _master.ReadRegistersAsync(
            PymodbusServer.Unit, RegisterTable.HoldingRegisters, PymodbusServer.MappedRegisters - 2, new ushort[4], timeout.Token);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception), $"{result}\n{_server.Transcript}");
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public async Task Writing_an_unmapped_register_reports_exception_02_illegal_data_address()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var result = await _master.WriteRegistersAsync(PymodbusServer.Unit, 500, new ushort[] { 1, 2 }, timeout.Token);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception), $"{result}\n{_server.Transcript}");
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }
}
