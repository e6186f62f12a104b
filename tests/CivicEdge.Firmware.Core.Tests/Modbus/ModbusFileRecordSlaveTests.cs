using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Tests.Support;

namespace CivicEdge.Firmware.Core.Tests.Modbus;

[TestFixture]
[Category("Unit")]
public sealed class ModbusFileRecordSlaveTests
{
    private const byte Unit = 0x11;

    private ScriptedSerialLink _link = null!;
    private FileRecordTable _files = null!;
    private ModbusRtuSlave _slave = null!;

    [SetUp]
    public void Start()
    {
        _link = new ScriptedSerialLink(9600);
        _files = new FileRecordTable();
        _slave = new ModbusRtuSlave(_link, new ArrayDataModel(), Unit) { FileRecords = _files };
    }

    [Test]
    public void The_specifications_read_file_record_example_is_answered_record_by_record()
    {
        // Modbus Application Protocol v1.1b3 §6.14: file 4 records 1..2 and file 3 records 9..10.
        _files.Set(4, 1, 0x0DFE, 0x0020);
        _files.Set(3, 9, 0x33CD, 0x0040);

        var answer = Exchange(Frames.WithCrc("11 14 0E 06 00 04 00 01 00 02 06 00 03 00 09 00 02"));

        Assert.That(answer, Is.EqualTo(Frames.WithCrc("11 14 0C 05 06 0D FE 00 20 05 06 33 CD 00 40")));
    }

    [Test]
    public void The_specifications_write_file_record_example_lands_in_the_file_and_is_echoed()
    {
        // §6.15: file 4, records 7..9 written with 06AF 04BE 100D.
        var request = Frames.WithCrc("11 15 0D 06 00 04 00 07 00 03 06 AF 04 BE 10 0D");

        Assert.That(Exchange(request), Is.EqualTo(request));
        Assert.That(_files.Get(4, 7, 3), Is.EqualTo(new ushort[] { 0x06AF, 0x04BE, 0x100D }));
    }

    [Test]
    public void A_reference_type_other_than_6_gets_exception_02_and_writes_nothing()
    {
        Assert.That(Exchange(Frames.WithCrc("11 15 0D 05 00 04 00 07 00 03 06 AF 04 BE 10 0D")), Is.EqualTo(Frames.WithCrc("11 95 02")));
        Assert.That(_files.Writes, Is.Zero);
    }

    [Test]
    public void A_record_number_past_9999_gets_exception_02()
    {
        Assert.That(Exchange(Frames.WithCrc("11 14 07 06 00 01 27 0F 00 02")), Is.EqualTo(Frames.WithCrc("11 94 02")));
    }

    [Test]
    public void A_byte_count_that_disagrees_with_the_frame_gets_exception_03()
    {
        Assert.That(Exchange(Frames.WithCrc("11 15 0F 06 00 04 00 07 00 03 06 AF 04 BE 10 0D")), Is.EqualTo(Frames.WithCrc("11 95 03")));
        Assert.That(Exchange(Frames.WithCrc("11 14 08 06 00 04 00 01 00 02")), Is.EqualTo(Frames.WithCrc("11 94 03")));
    }

    [Test]
    public void A_sub_request_whose_length_runs_past_the_data_gets_exception_03_and_writes_nothing()
    {
        Assert.That(Exchange(Frames.WithCrc("11 15 0B 06 00 04 00 07 00 03 06 AF 04 BE")), Is.EqualTo(Frames.WithCrc("11 95 03")));
        Assert.That(_files.Writes, Is.Zero);
    }

    [Test]
    public void A_slave_without_file_records_answers_functions_20_and_21_with_exception_01()
    {
        var slave = new ModbusRtuSlave(_link, new ArrayDataModel(), Unit);
        _link.ArriveFrame(Frames.WithCrc("11 14 07 06 00 04 00 01 00 02"));
        slave.Poll(100);

        Assert.That(_link.TakeWritten(), Is.EqualTo(Frames.WithCrc("11 94 01")));
    }

    private byte[] Exchange(byte[] request)
    {
        _link.ArriveFrame(request);
        Assert.That(_slave.Poll(100), Is.True);
        return _link.TakeWritten();
    }

    /// <summary>Files of records in a dictionary, as a device's image or log files would be.</summary>
    private sealed class FileRecordTable : IModbusFileRecords
    {
        private readonly Dictionary<(int File, int Record), ushort> _records = [];

        public int Writes { get; private set; }

        public void Set(int file, int record, params ushort[] values)
        {
            for (var i = 0; i < values.Length; i++)
                _records[(file, record + i)] = values[i];
        }

        public ushort[] Get(int file, int record, int count) =>
            [.. Enumerable.Range(record, count).Select(r => _records.GetValueOrDefault((file, r)))];

        public ModbusExceptionCode ReadRecords(int file, int record, int records, byte[] into, int index)
        {
            for (var i = 0; i < records; i++)
            {
                var value = _records.GetValueOrDefault((file, record + i));
                into[index + (2 * i)] = (byte)(value >> 8);
                into[index + (2 * i) + 1] = (byte)value;
            }

            return ModbusExceptionCode.None;
        }

        public ModbusExceptionCode WriteRecords(int file, int record, int records, byte[] data, int index)
        {
            Writes++;
            for (var i = 0; i < records; i++)
                _records[(file, record + i)] = (ushort)((data[index + (2 * i)] << 8) | data[index + (2 * i) + 1]);
            return ModbusExceptionCode.None;
        }
    }
}
