using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Modbus;

/// <summary>The firmware's master against the firmware's slave on an in-memory line, and against scripted faults.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ModbusRtuMasterTests
{
    private const byte Meter = 0x11;
    private const int Timeout = 300;

    private FakeTimeProvider _time = null!;
    private SimulatedClock _clock = null!;
    private FakeTimeDelay _delay = null!;
    private ArrayDataModel _model = null!;
    private ModbusRtuMaster _master = null!;
    private ModbusRtuSlave _slave = null!;

    [SetUp]
    public void Wire()
    {
        _time = new FakeTimeProvider();
        _clock = new SimulatedClock(_time);
        _delay = new FakeTimeDelay(_time);
        _model = new ArrayDataModel();
        var line = new CrossedSerialLine(9600, _time);
        _slave = new ModbusRtuSlave(line.Slave, _model, Meter);
        line.Pump = () => _slave.Poll(0);
        _master = new ModbusRtuMaster(line.Master, _clock, _delay, Timeout, retries: 2);
    }

    [Test]
    public void Holding_and_input_registers_are_read_from_the_slave()
    {
        _model.Holding[4] = 0x1234;
        _model.Holding[5] = 0xBEEF;
        _model.Input[0] = 2301;
        var holding = new ushort[2];
        var input = new ushort[1];

        Assert.That(_master.ReadHoldingRegisters(Meter, 4, 2, holding), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(_master.ReadInputRegisters(Meter, 0, 1, input), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(holding, Is.EqualTo(new ushort[] { 0x1234, 0xBEEF }));
        Assert.That(input, Is.EqualTo(new ushort[] { 2301 }));
        Assert.That(_master.Responses, Is.EqualTo(2));
    }

    [Test]
    public void Coils_and_discrete_inputs_are_read_from_the_slave()
    {
        _model.Coils[9] = true;
        _model.DiscreteInputs[0] = true;
        _model.DiscreteInputs[10] = true;
        var coils = new bool[3];
        var inputs = new bool[11];

        Assert.That(_master.ReadCoils(Meter, 8, 3, coils), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(_master.ReadDiscreteInputs(Meter, 0, 11, inputs), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(coils, Is.EqualTo(new[] { false, true, false }));
        Assert.That(inputs.Select((on, i) => on ? i : -1).Where(i => i >= 0), Is.EqualTo(new[] { 0, 10 }));
    }

    [Test]
    public void Writes_of_every_kind_land_in_the_slave()
    {
        Assert.That(_master.WriteSingleCoil(Meter, 1, true), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(_master.WriteSingleRegister(Meter, 2, 777), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(_master.WriteMultipleCoils(Meter, 20, [true, true, false, true, false, false, false, false, true], 9), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(_master.WriteMultipleRegisters(Meter, 30, [1, 2, 3, 0xFFFF], 4), Is.EqualTo(ModbusMasterStatus.Ok));

        Assert.That(_model.Coils[1], Is.True);
        Assert.That(_model.Holding[2], Is.EqualTo(777));
        Assert.That(_model.Coils[20..29], Is.EqualTo(new[] { true, true, false, true, false, false, false, false, true }));
        Assert.That(_model.Holding[30..34], Is.EqualTo(new ushort[] { 1, 2, 3, 0xFFFF }));
    }

    [Test]
    public void An_exception_answer_is_reported_with_its_code_and_not_retried()
    {
        var status = _master.ReadHoldingRegisters(Meter, 118, 5, new ushort[5]);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Exception));
        Assert.That(_master.LastException, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(_master.LastFailure, Is.EqualTo("Unit 17 answered function 3 with exception 2."));
        Assert.That(_master.Requests, Is.EqualTo(1));
    }

    [Test]
    public void A_silent_slave_times_out_after_every_retry()
    {
        var start = _clock.UptimeMilliseconds;

        var status = _master.ReadHoldingRegisters(0x12, 0, 1, new ushort[1]);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Timeout));
        Assert.That(_master.Requests, Is.EqualTo(3));
        Assert.That(_master.Timeouts, Is.EqualTo(3));
        Assert.That(_master.Retries, Is.EqualTo(2));
        Assert.That(_clock.UptimeMilliseconds - start, Is.EqualTo(3 * Timeout));
        Assert.That(_master.LastFailure, Is.EqualTo("No answer from unit 18 to function 3 within 300 ms."));
    }

    [Test]
    public void A_broadcast_write_reaches_the_slave_without_an_answer_and_the_next_request_waits_the_turnaround_delay()
    {
        Assert.That(_master.WriteSingleRegister(0, 3, 55), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(_master.ReadHoldingRegisters(Meter, 3, 1, new ushort[1]), Is.EqualTo(ModbusMasterStatus.Ok));

        Assert.That(_model.Holding[3], Is.EqualTo(55));
        Assert.That(_delay.Sleeps, Is.EqualTo(new[] { 100 }));
    }

    [Test]
    public void A_broadcast_read_is_refused_before_anything_is_sent()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadCoils(0, 0, 1, new bool[1]));

        Assert.That(refused.Message, Does.Contain("Only writes may be broadcast"));
        Assert.That(_master.Requests, Is.Zero);
    }

    [Test]
    public void A_quantity_out_of_range_is_refused_with_what_was_expected_and_found()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegisters(Meter, 0, 126, new ushort[126]));

        Assert.That(refused.Message, Does.Contain("Expected a quantity of 1..125, found 126."));
    }

    [Test]
    public void A_transaction_allocates_nothing()
    {
        var values = new ushort[10];
        for (var i = 0; i < 10; i++)
            _master.ReadHoldingRegisters(Meter, 0, 10, values);

        // An allocation per transaction shows in every round; the runtime's own one-off allocations on this thread
        // (tiered compilation replacing the loop's code) show in one round at most.
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
                _master.ReadHoldingRegisters(Meter, 0, 10, values);
            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.That(rounds.Min(), Is.Zero, string.Join(", ", rounds));
    }
}
