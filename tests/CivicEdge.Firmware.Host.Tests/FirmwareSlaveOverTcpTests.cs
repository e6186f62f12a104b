using System.Net;
using CivicEdge.Firmware.Host.Tests.Support;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using FirmwareSlave = CivicEdge.Firmware.Core.Modbus.ModbusRtuSlave;

namespace CivicEdge.Firmware.Host.Tests;

/// <summary>
/// The firmware's slave behind a <see cref="TcpSerialLink"/> listening on an OS-chosen loopback port, as civicsim
/// runs devices behind simulated serial-to-Ethernet converters, polled by the gateway's RTU-over-TCP master.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class FirmwareSlaveOverTcpTests
{
    private const byte Unit = 3;

    private TcpSerialLink _link = null!;
    private RegisterFile _registers = null!;
    private FirmwareSlave _slave = null!;
    private SlaveThread _serving = null!;

    [SetUp]
    public void StartSlave()
    {
        _link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), 38400);
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
        }
    }

    [Test]
    public async Task The_gateway_reads_and_writes_the_slave_through_the_converter()
    {
        await using var master = Master();
        var values = new ushort[4];

        var write = await master.WriteRegistersAsync(Unit, 0, new ushort[] { 9, 8, 7 }, Timeout());
        var read = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, values, Timeout());

        Assert.That(write.IsOk && read.IsOk, Is.True, $"{write} / {read}");
        Assert.That(values, Is.EqualTo(new ushort[] { 9, 8, 7, 1003 }));
    }

    [Test]
    public async Task A_second_master_replaces_the_first_as_a_single_session_converter_does()
    {
        await using (var first = Master())
        {
            var firstRead = await first.ReadRegistersAsync(Unit, RegisterTable.InputRegisters, 0, new ushort[1], Timeout());
            Assert.That(firstRead.IsOk, Is.True, firstRead.ToString());
        }

        await using var second = Master();
        var values = new ushort[2];
        var secondRead = await second.ReadRegistersAsync(Unit, RegisterTable.InputRegisters, 10, values, Timeout());

        Assert.That(secondRead.IsOk, Is.True, secondRead.ToString());
        Assert.That(values, Is.EqualTo(new ushort[] { 2010, 2011 }));
        Assert.That(_link.Sessions, Is.EqualTo(2));
    }

    private ModbusRtuMaster Master() =>
        ModbusRtuMaster.OverTcp("127.0.0.1", _link.LocalPort, new ModbusRtuMasterOptions { BaudRate = 38400, ResponseTimeout = TimeSpan.FromSeconds(2), Retries = 0 });

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;
}
