using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Tests.Support;

namespace CivicEdge.Firmware.Core.Tests.Modbus;

[TestFixture]
[Category("Unit")]
public sealed class ModbusRtuSlaveTests
{
    private const byte Unit = 0x11;

    private ScriptedSerialLink _link = null!;
    private ArrayDataModel _model = null!;
    private ModbusRtuSlave _slave = null!;

    [SetUp]
    public void Start()
    {
        _link = new ScriptedSerialLink(9600);
        _model = new ArrayDataModel();
        _slave = new ModbusRtuSlave(_link, _model, Unit);
    }

    [Test]
    public void The_specifications_read_holding_registers_example_is_answered_from_the_data_model()
    {
        _model.Holding[0x6B] = 0xAE41;
        _model.Holding[0x6C] = 0x5652;
        _model.Holding[0x6D] = 0x4340;

        var answer = Exchange("11 03 00 6B 00 03 76 87");

        Assert.That(answer, Is.EqualTo(Frames.WithCrc("11 03 06 AE 41 56 52 43 40")));
    }

    [Test]
    public void Input_registers_are_read_with_function_04()
    {
        _model.Input[8] = 0x000A;

        Assert.That(Exchange(Frames.WithCrc("11 04 00 08 00 01")), Is.EqualTo(Frames.WithCrc("11 04 02 00 0A")));
    }

    [Test]
    public void Coils_are_read_packed_lowest_address_first_in_the_lowest_bit()
    {
        // Modbus Application Protocol §6.1's example: coils 20..38 (addresses 19..37) read as CD 6B 05.
        var pattern = new[] { 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1 };
        for (var i = 0; i < pattern.Length; i++)
            _model.Coils[19 + i] = pattern[i] == 1;

        Assert.That(Exchange(Frames.WithCrc("11 01 00 13 00 13")), Is.EqualTo(Frames.WithCrc("11 01 03 CD 6B 05")));
    }

    [Test]
    public void Discrete_inputs_are_read_with_function_02()
    {
        _model.DiscreteInputs[3] = true;

        Assert.That(Exchange(Frames.WithCrc("11 02 00 00 00 05")), Is.EqualTo(Frames.WithCrc("11 02 01 08")));
    }

    [Test]
    public void A_coil_written_with_function_05_lands_in_the_model_and_the_request_is_echoed()
    {
        var answer = Exchange(Frames.WithCrc("11 05 00 07 FF 00"));

        Assert.That(answer, Is.EqualTo(Frames.WithCrc("11 05 00 07 FF 00")));
        Assert.That(_model.Coils[7], Is.True);
    }

    [Test]
    public void A_coil_value_other_than_FF00_or_0000_gets_exception_03()
    {
        Assert.That(Exchange(Frames.WithCrc("11 05 00 07 12 34")), Is.EqualTo(Frames.WithCrc("11 85 03")));
        Assert.That(_model.Coils[7], Is.False);
    }

    [Test]
    public void A_register_written_with_function_06_lands_in_the_model_and_the_request_is_echoed()
    {
        Assert.That(Exchange(Frames.WithCrc("11 06 00 0A 00 32")), Is.EqualTo(Frames.WithCrc("11 06 00 0A 00 32")));
        Assert.That(_model.Holding[ArrayDataModel.DimLevel], Is.EqualTo(50));
    }

    [Test]
    public void A_value_the_data_model_refuses_gets_its_exception_code()
    {
        Assert.That(Exchange(Frames.WithCrc("11 06 00 0A 00 65")), Is.EqualTo(Frames.WithCrc("11 86 03")));
        Assert.That(_slave.BusExceptionErrors, Is.EqualTo(1));
    }

    [Test]
    public void Coils_written_with_function_15_land_in_the_model()
    {
        // §6.11's example: ten coils from 20, CD 01.
        var answer = Exchange(Frames.WithCrc("11 0F 00 13 00 0A 02 CD 01"));

        Assert.That(answer, Is.EqualTo(Frames.WithCrc("11 0F 00 13 00 0A")));
        Assert.That(_model.Coils.Skip(19).Take(10).Select(c => c ? 1 : 0), Is.EqualTo(new[] { 1, 0, 1, 1, 0, 0, 1, 1, 1, 0 }));
    }

    [Test]
    public void Registers_written_with_function_16_land_in_the_model()
    {
        var answer = Exchange(Frames.WithCrc("11 10 00 01 00 02 04 00 0A 01 02"));

        Assert.That(answer, Is.EqualTo(Frames.WithCrc("11 10 00 01 00 02")));
        Assert.That(_model.Holding[1..3], Is.EqualTo(new ushort[] { 0x000A, 0x0102 }));
    }

    [Test]
    public void A_multiple_write_that_runs_past_the_end_gets_exception_02_and_changes_nothing()
    {
        Assert.That(Exchange(Frames.WithCrc("11 10 00 76 00 03 06 00 01 00 02 00 03")), Is.EqualTo(Frames.WithCrc("11 90 02")));
        Assert.That(_model.Holding[118..], Is.EqualTo(new ushort[] { 0, 0 }));
        Assert.That(Exchange(Frames.WithCrc("11 0F 00 76 00 03 01 07")), Is.EqualTo(Frames.WithCrc("11 8F 02")));
        Assert.That(_model.Coils[118..], Is.EqualTo(new[] { false, false }));
    }

    [Test]
    public void A_multiple_write_whose_byte_count_disagrees_with_its_quantity_gets_exception_03()
    {
        Assert.That(Exchange(Frames.WithCrc("11 10 00 01 00 02 03 00 0A 01")), Is.EqualTo(Frames.WithCrc("11 90 03")));
    }

    [Test]
    public void A_read_of_126_registers_gets_exception_03()
    {
        Assert.That(Exchange(Frames.WithCrc("11 03 00 00 00 7E")), Is.EqualTo(Frames.WithCrc("11 83 03")));
    }

    [Test]
    public void A_read_outside_the_model_gets_exception_02()
    {
        Assert.That(Exchange(Frames.WithCrc("11 03 00 77 00 02")), Is.EqualTo(Frames.WithCrc("11 83 02")));
    }

    [Test]
    public void A_function_the_slave_does_not_serve_gets_exception_01()
    {
        Assert.That(Exchange(Frames.WithCrc("11 41 00 00")), Is.EqualTo(Frames.WithCrc("11 C1 01")));
    }

    [Test]
    public void A_data_model_that_throws_gets_exception_04_and_the_slave_keeps_answering()
    {
        _model.Throws = new InvalidOperationException("meter bus down");

        Assert.That(Exchange(Frames.WithCrc("11 03 00 00 00 01")), Is.EqualTo(Frames.WithCrc("11 83 04")));
        _model.Throws = null;
        Assert.That(Exchange(Frames.WithCrc("11 03 00 00 00 01")), Is.EqualTo(Frames.WithCrc("11 03 02 00 00")));
    }

    [Test]
    public void A_frame_with_a_bad_CRC_is_counted_and_not_answered()
    {
        var answer = Exchange("11 03 00 6B 00 03 76 88");

        Assert.That(answer, Is.Empty);
        Assert.That(_slave.BusMessages, Is.EqualTo(1));
        Assert.That(_slave.BusCommunicationErrors, Is.EqualTo(1));
        Assert.That(_slave.SlaveMessages, Is.Zero);
    }

    [Test]
    public void A_frame_for_another_unit_is_counted_on_the_bus_and_not_answered()
    {
        var answer = Exchange(Frames.WithCrc("12 03 00 00 00 01"));

        Assert.That(answer, Is.Empty);
        Assert.That(_slave.BusMessages, Is.EqualTo(1));
        Assert.That(_slave.SlaveMessages, Is.Zero);
    }

    [Test]
    public void A_broadcast_write_is_carried_out_and_not_answered()
    {
        var answer = Exchange(Frames.WithCrc("00 06 00 0A 00 14"));

        Assert.That(answer, Is.Empty);
        Assert.That(_model.Holding[ArrayDataModel.DimLevel], Is.EqualTo(20));
        Assert.That(_slave.SlaveMessages, Is.EqualTo(1));
        Assert.That(_slave.SlaveNoResponses, Is.EqualTo(1));
    }

    [Test]
    public void A_broadcast_read_is_neither_carried_out_nor_answered()
    {
        _model.Throws = new InvalidOperationException("a broadcast read must not reach the model");

        Assert.That(Exchange(Frames.WithCrc("00 03 00 00 00 01")), Is.Empty);
    }

    [Test]
    public void Diagnostics_sub_function_00_echoes_the_query_data()
    {
        Assert.That(Exchange(Frames.WithCrc("11 08 00 00 A5 37 42")), Is.EqualTo(Frames.WithCrc("11 08 00 00 A5 37 42")));
    }

    [Test]
    public void Diagnostics_return_the_serial_line_counters_and_clear_them()
    {
        Exchange("11 03 00 6B 00 03 76 88");
        Exchange(Frames.WithCrc("12 03 00 00 00 01"));
        Exchange(Frames.WithCrc("11 41 00 00"));
        Exchange(Frames.WithCrc("00 06 00 0A 00 14"));

        // Each diagnostic request is itself a message on the bus and for this slave, counted before it is answered.
        Assert.Multiple(() =>
        {
            Assert.That(Exchange(Frames.WithCrc("11 08 00 0B 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0B 00 05")), "bus messages");
            Assert.That(Exchange(Frames.WithCrc("11 08 00 0C 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0C 00 01")), "CRC errors");
            Assert.That(Exchange(Frames.WithCrc("11 08 00 0D 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0D 00 01")), "exceptions");
            Assert.That(Exchange(Frames.WithCrc("11 08 00 0E 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0E 00 06")), "slave messages");
            Assert.That(Exchange(Frames.WithCrc("11 08 00 0F 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0F 00 01")), "no responses");
        });

        Assert.That(Exchange(Frames.WithCrc("11 08 00 0A 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0A 00 00")));
        Assert.That(Exchange(Frames.WithCrc("11 08 00 0B 00 00")), Is.EqualTo(Frames.WithCrc("11 08 00 0B 00 01")));
    }

    [Test]
    public void Report_server_id_answers_the_configured_id_and_the_run_indicator()
    {
        _slave.SetServerId([0x53, 0x4C, 0x43, 0x01]);

        Assert.That(Exchange(Frames.WithCrc("11 11")), Is.EqualTo(Frames.WithCrc("11 11 05 53 4C 43 01 FF")));
        _slave.RunIndicator = false;
        Assert.That(Exchange(Frames.WithCrc("11 11")), Is.EqualTo(Frames.WithCrc("11 11 05 53 4C 43 01 00")));
    }

    [Test]
    public void A_frame_that_arrives_in_pieces_without_a_silence_is_one_frame()
    {
        _model.Holding[0x6B] = 7;
        var frame = Frames.WithCrc("11 03 00 6B 00 01");
        _link.Arrive(frame[..3]);
        _link.Arrive(frame[3..6]);
        _link.ArriveFrame(frame[6..]);

        _slave.Poll(100);

        Assert.That(_link.TakeWritten(), Is.EqualTo(Frames.WithCrc("11 03 02 00 07")));
    }

    [Test]
    public void Two_frames_separated_by_a_silence_are_two_requests()
    {
        _link.ArriveFrame(Frames.WithCrc("11 06 00 01 00 01"));
        _link.ArriveFrame(Frames.WithCrc("11 06 00 02 00 02"));

        _slave.Poll(100);
        _slave.Poll(100);

        Assert.That(_model.Holding[1..3], Is.EqualTo(new ushort[] { 1, 2 }));
        Assert.That(_slave.SlaveMessages, Is.EqualTo(2));
    }

    [TestCase(9600, 5)]
    [TestCase(115200, 2)]
    public void The_slave_waits_t35_after_the_last_byte_before_it_takes_a_frame_as_complete(int baud, int silence)
    {
        var link = new ScriptedSerialLink(baud);
        var slave = new ModbusRtuSlave(link, _model, Unit);
        link.ArriveFrame(Frames.WithCrc("11 03 00 00 00 01"));

        slave.Poll(250);

        Assert.That(link.ReadTimeouts, Is.EqualTo(new[] { 250, silence }));
    }

    [Test]
    public void A_frame_longer_than_256_bytes_is_dropped_and_counted_as_an_overrun()
    {
        _link.Arrive(new byte[200]);
        _link.Arrive(new byte[100]);
        _link.ArriveFrame(new byte[100]);

        _slave.Poll(100);

        Assert.That(_link.TakeWritten(), Is.Empty);
        Assert.That(_slave.CharacterOverruns, Is.EqualTo(1));
        Assert.That(_slave.BusMessages, Is.EqualTo(1));
    }

    [Test]
    public void Nothing_arriving_is_no_frame()
    {
        Assert.That(_slave.Poll(10), Is.False);
        Assert.That(_slave.BusMessages, Is.Zero);
    }

    [Test]
    public void The_unit_id_can_change_at_run_time_and_must_be_1_to_247()
    {
        _slave.UnitId = 5;

        Assert.That(Exchange(Frames.WithCrc("05 03 00 00 00 01")), Is.EqualTo(Frames.WithCrc("05 03 02 00 00")));
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => _slave.UnitId = 248);
        Assert.That(refused.Message, Does.Contain("1..247").And.Contain("found 248"));
    }

    [Test]
    public void Serving_requests_allocates_nothing()
    {
        _link.RecordTimeouts = false;
        const int requests = 1000;
        var read = Frames.WithCrc("11 03 00 00 00 7D");
        var write = Frames.WithCrc("11 10 00 01 00 02 04 00 0A 01 02");
        var coils = Frames.WithCrc("11 01 00 00 00 50");
        for (var i = 0; i < requests; i++)
            _link.ArriveFrame(i % 3 == 0 ? read : i % 3 == 1 ? write : coils);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < requests; i++)
            _slave.Poll(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
        Assert.That(_slave.SlaveMessages, Is.EqualTo(requests));
    }

    private byte[] Exchange(string hex) => Exchange(Frames.Hex(hex));

    private byte[] Exchange(byte[] request)
    {
        _link.ArriveFrame(request);
        Assert.That(_slave.Poll(100), Is.True);
        return _link.TakeWritten();
    }
}
