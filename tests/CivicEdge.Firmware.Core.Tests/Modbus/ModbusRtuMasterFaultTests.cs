using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Tests.Support;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Modbus;

/// <summary>The firmware's master against answers written byte by byte: noise, strangers, pieces.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ModbusRtuMasterFaultTests
{
    private const byte Meter = 0x11;

    private FakeTimeProvider _time = null!;
    private ScriptedSerialLink _link = null!;
    private ModbusRtuMaster _master = null!;

    [SetUp]
    public void Wire()
    {
        _time = new FakeTimeProvider();
        _link = new ScriptedSerialLink(9600, _time);
        _master = new ModbusRtuMaster(_link, new SimulatedClock(_time), new FakeTimeDelay(_time), 500, retries: 1);
    }

    [Test]
    public void The_request_is_the_specifications_frame()
    {
        _link.AnswerNextWrite(Frames.WithCrc("11 03 06 AE 41 56 52 43 40"));

        _master.ReadHoldingRegisters(Meter, 0x6B, 3, new ushort[3]);

        Assert.That(_link.TakeWritten(), Is.EqualTo(Frames.Hex("11 03 00 6B 00 03 76 87")));
    }

    [Test]
    public void An_answer_with_a_bad_CRC_is_retried_and_the_retry_succeeds()
    {
        var corrupted = Frames.WithCrc("11 03 02 00 2A");
        corrupted[4] ^= 0xFF;
        _link.AnswerNextWrite(corrupted);
        _link.AnswerNextWrite(Frames.WithCrc("11 03 02 00 2A"));
        var value = new ushort[1];

        var status = _master.ReadHoldingRegisters(Meter, 0, 1, value);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(value[0], Is.EqualTo(42));
        Assert.That(_master.CrcErrors, Is.EqualTo(1));
        Assert.That(_master.Retries, Is.EqualTo(1));
    }

    [Test]
    public void An_answer_that_stays_corrupted_ends_as_a_CRC_error_with_the_lengths()
    {
        _link.AnswerNextWrite(Frames.Hex("11 03 02 00"));
        _link.AnswerNextWrite(Frames.Hex("11 03 02 00"));

        var status = _master.ReadHoldingRegisters(Meter, 0, 1, new ushort[1]);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.CrcError));
        Assert.That(_master.LastFailure, Is.EqualTo("The answer from unit 17 failed its CRC: 4 bytes, 7 expected."));
    }

    [Test]
    public void An_answer_from_another_unit_does_not_fit_the_request()
    {
        _link.AnswerNextWrite(Frames.WithCrc("12 03 02 00 2A"));
        _link.AnswerNextWrite(Frames.WithCrc("12 03 02 00 2A"));

        var status = _master.ReadHoldingRegisters(Meter, 0, 1, new ushort[1]);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Malformed));
        Assert.That(_master.LastFailure, Is.EqualTo("The answer from unit 17 does not fit the request: expected unit 17 function 3, found unit 18 function 3."));
        Assert.That(_master.Malformed, Is.EqualTo(2));
    }

    [Test]
    public void A_write_whose_echo_differs_from_the_request_does_not_fit()
    {
        _link.AnswerNextWrite(Frames.WithCrc("11 06 00 01 00 08"));
        _link.AnswerNextWrite(Frames.WithCrc("11 06 00 01 00 08"));

        var status = _master.WriteSingleRegister(Meter, 1, 7);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Malformed));
        Assert.That(_master.LastFailure, Does.EndWith("expected the answer to echo the request's byte 5 (0x07), found 0x08."));
    }

    [Test]
    public void An_answer_that_arrives_in_pieces_is_assembled()
    {
        var answer = Frames.WithCrc("11 04 04 00 01 00 02");
        _link.AnswerNextWrite(answer[..2], answer[2..5], answer[5..]);
        var values = new ushort[2];

        Assert.That(_master.ReadInputRegisters(Meter, 0, 2, values), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(values, Is.EqualTo(new ushort[] { 1, 2 }));
    }

    [Test]
    public void An_exception_answer_ends_the_read_at_five_bytes()
    {
        _link.AnswerNextWrite(Frames.WithCrc("11 84 02"));

        var status = _master.ReadInputRegisters(Meter, 0, 50, new ushort[50]);

        Assert.That(status, Is.EqualTo(ModbusMasterStatus.Exception));
        Assert.That(_master.LastException, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void Stray_bytes_waiting_before_the_request_are_discarded()
    {
        _link.Arrive(0xFF, 0x00, 0x13);
        _link.AnswerNextWrite(Frames.WithCrc("11 03 02 00 05"));
        var value = new ushort[1];

        Assert.That(_master.ReadHoldingRegisters(Meter, 0, 1, value), Is.EqualTo(ModbusMasterStatus.Ok));
        Assert.That(value[0], Is.EqualTo(5));
        Assert.That(_link.Discards, Is.EqualTo(1));
    }
}
