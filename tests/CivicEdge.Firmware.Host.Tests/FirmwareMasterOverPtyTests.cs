using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Host.Tests.Support;

namespace CivicEdge.Firmware.Host.Tests;

/// <summary>
/// The firmware's Modbus RTU master, as a pole controller runs it towards its energy meter, on one end of a socat pty
/// pair at 115200 baud: against the firmware's own slave on the other end, and against pymodbus, an independent slave.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FirmwareMasterOverPtyTests
{
    private const int Baud = 115200;

    private PtyPair _pty = null!;
    private SerialDeviceLink _masterLink = null!;
    private ModbusRtuMaster _master = null!;

    [SetUp]
    public void OpenLine()
    {
        _pty = PtyPair.Open();
        _masterLink = new SerialDeviceLink(_pty.Device, Baud);
        _master = new ModbusRtuMaster(_masterLink, new SimulatedClock(TimeProvider.System), new ThreadDelay(), 1000, retries: 1);
    }

    [TearDown]
    public void CloseLine()
    {
        _masterLink.Dispose();
        _pty.Dispose();
    }

    [Test]
    public void The_master_reads_and_writes_the_firmware_slave()
    {
        using var slaveLink = new SerialDeviceLink(_pty.Peer, Baud);
        var registers = RegisterFile.WithPattern();
        using (new SlaveThread(new ModbusRtuSlave(slaveLink, registers, 9)))
        {
            var read = new ushort[5];
            var coils = new bool[3];

            Assert.That(_master.WriteMultipleRegisters(9, 10, [1, 2, 3], 3), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure);
            Assert.That(_master.ReadHoldingRegisters(9, 9, 5, read), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure);
            Assert.That(_master.WriteSingleCoil(9, 1, true), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure);
            Assert.That(_master.ReadCoils(9, 0, 3, coils), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure);
            Assert.That(_master.ReadHoldingRegisters(9, 99, 2, read), Is.EqualTo(ModbusMasterStatus.Exception));

            Assert.That(read, Is.EqualTo(new ushort[] { 1009, 1, 2, 3, 1013 }));
            Assert.That(coils, Is.EqualTo(new[] { false, true, false }));
            Assert.That(_master.LastException, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        }
    }

    [Test]
    public void The_master_reads_and_writes_a_pymodbus_slave()
    {
        using var meter = PymodbusMeter.Start(_pty.Peer);
        var holding = new ushort[4];
        var input = new ushort[2];
        var coils = new bool[4];

        Assert.Multiple(() =>
        {
            Assert.That(_master.ReadHoldingRegisters(PymodbusMeter.Unit, 0, 4, holding), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure + meter.Errors);
            Assert.That(_master.ReadInputRegisters(PymodbusMeter.Unit, 8, 2, input), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure + meter.Errors);
            Assert.That(_master.WriteSingleRegister(PymodbusMeter.Unit, 2, 4242), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure + meter.Errors);
            Assert.That(_master.WriteMultipleCoils(PymodbusMeter.Unit, 0, [true, false, true], 3), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure + meter.Errors);
            Assert.That(_master.ReadCoils(PymodbusMeter.Unit, 0, 4, coils), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure + meter.Errors);
            Assert.That(_master.ReadHoldingRegisters(PymodbusMeter.Unit, 2, 1, holding), Is.EqualTo(ModbusMasterStatus.Ok), _master.LastFailure + meter.Errors);
            Assert.That(_master.ReadHoldingRegisters(PymodbusMeter.Unit, 9, 3, new ushort[3]), Is.EqualTo(ModbusMasterStatus.Exception), _master.LastFailure + meter.Errors);
        });

        Assert.That(input, Is.EqualTo(new ushort[] { 208, 209 }));
        Assert.That(coils, Is.EqualTo(new[] { true, false, true, false }));
        Assert.That(holding[0], Is.EqualTo(4242));
        Assert.That(_master.LastException, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void A_slave_that_is_not_on_the_line_times_out_after_the_retry()
    {
        var status = _master.ReadHoldingRegisters(5, 0, 1, new ushort[1]);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Timeout));
        Assert.That(_master.Timeouts, Is.EqualTo(2));
    }
}
