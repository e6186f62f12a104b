using System.Text;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests.Master;

/// <summary>
/// Every function code through both masters, TCP and RTU (over TCP, so no pty is needed), against scripted peers
/// that answer with the examples of the Modbus Application Protocol V1.1b3 §6. The request each master sends is
/// checked against the specification's bytes too.
/// </summary>
[Category("Integration")]
[CancelAfter(20_000)]
[TestFixture("tcp")]
[TestFixture("rtu")]
public sealed class MasterFunctionCodeTests(string link)
{
    private const byte Unit = 0x11;

    private readonly List<byte[]> _requests = [];
    private IAsyncDisposable _peer = null!;
    private IModbusMaster _master = null!;

    [SetUp]
    public void Start()
    {
        _requests.Clear();
        if (link == "tcp")
        {
            var peer = ScriptedModbusPeer.Start(request => [request.Answer(Answer(request.Pdu))]);
            _peer = peer;
            _master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = peer.Port, Retries = 0 });
        }
        else
        {
            var peer = ScriptedRtuPeer.OnTcp(request => [request.Answer(Answer(request.Pdu))]);
            _peer = peer;
            _master = ModbusRtuMaster.OverTcp("127.0.0.1", peer.Port, new ModbusRtuMasterOptions { Retries = 0, BaudRate = 115200 });
        }
    }

    [TearDown]
    public async Task Stop()
    {
        await _master.DisposeAsync();
        await _peer.DisposeAsync();
    }

    [Test]
    public async Task Reads_coils_20_to_38(CancellationToken ct)
    {
        var coils = new bool[19];

        var result = await _master.ReadBitsAsync(Unit, RegisterTable.Coils, 0x0013, coils, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(new byte[] { 0x01, 0x00, 0x13, 0x00, 0x13 }));
        Assert.That(coils, Is.EqualTo(Bits("1011 0011 1101 0110 101")));
    }

    [Test]
    public async Task Reads_discrete_inputs_197_to_218(CancellationToken ct)
    {
        var inputs = new bool[22];

        var result = await _master.ReadBitsAsync(Unit, RegisterTable.DiscreteInputs, 0x00C4, inputs, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(new byte[] { 0x02, 0x00, 0xC4, 0x00, 0x16 }));
        Assert.That(inputs, Is.EqualTo(Bits("0011 0101 1101 1011 1010 11")));
    }

    [Test]
    public async Task Writes_coil_173_on(CancellationToken ct)
    {
        var result = await _master.WriteCoilsAsync(Unit, 0x00AC, new[] { true }, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(new byte[] { 0x05, 0x00, 0xAC, 0xFF, 0x00 }));
    }

    [Test]
    public async Task Writes_ten_coils_from_20(CancellationToken ct)
    {
        var result = await _master.WriteCoilsAsync(Unit, 0x0013, Bits("1011 0011 10"), ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(new byte[] { 0x0F, 0x00, 0x13, 0x00, 0x0A, 0x02, 0xCD, 0x01 }));
    }

    [Test]
    public async Task Writes_and_reads_registers_in_one_transaction(CancellationToken ct)
    {
        var registers = new ushort[6];

        var result = await _master.ReadWriteRegistersAsync(Unit, 0x0003, registers, 0x000E, new ushort[] { 0x00FF, 0x00FF, 0x00FF }, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(new byte[] { 0x17, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0E, 0x00, 0x03, 0x06, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF }));
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x00FE, 0x0ACD, 0x0001, 0x0003, 0x000D, 0x00FF }));
    }

    [Test]
    public async Task Reads_the_basic_device_identification_across_two_responses(CancellationToken ct)
    {
        var identification = await _master.ReadDeviceIdentificationAsync(Unit, ModbusReadDeviceIdCode.Basic, 0, ct);

        Assert.That(identification.Result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(identification.ConformityLevel, Is.EqualTo(0x81));
        Assert.That(identification.Objects.Select(o => (o.Id, o.Value)), Is.EqualTo(new[]
        {
            ((byte)0, "Company identification"),
            ((byte)1, "Product code XX"),
            ((byte)2, "V2.11"),
        }));
        Assert.That(identification[ModbusDeviceObject.MajorMinorRevision], Is.EqualTo("V2.11"));
        Assert.That(_requests.Select(r => r[3]), Is.EqualTo(new byte[] { 0, 2 }), "object ids asked for");
    }

    [Test]
    public async Task An_exception_to_a_coil_read_is_returned_with_its_code(CancellationToken ct)
    {
        var result = await _master.ReadBitsAsync(Unit, RegisterTable.Coils, 0xFFF0, new bool[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception));
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    [Test]
    public void Counts_outside_the_specification_are_refused_before_anything_is_sent()
    {
        Assert.That(async () => await _master.ReadBitsAsync(Unit, RegisterTable.Coils, 0, new bool[2001], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("2000"));
        Assert.That(async () => await _master.WriteCoilsAsync(Unit, 0, new bool[1969], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("1968"));
        Assert.That(async () => await _master.ReadWriteRegistersAsync(Unit, 0, new ushort[1], 0, new ushort[122], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("121"));
        Assert.That(async () => await _master.ReadBitsAsync(Unit, RegisterTable.HoldingRegisters, 0, new bool[1], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("coils"));
        Assert.That(_requests, Is.Empty);
    }

    private byte[] LastRequest
    {
        get
        {
            lock (_requests)
                return _requests[^1];
        }
    }

    private static bool[] Bits(string ones) => [.. ones.Where(c => c != ' ').Select(c => c == '1')];

    private static byte[] DeviceObjects(params (byte Id, string Value)[] objects) =>
        [.. objects.SelectMany(o => new[] { o.Id, (byte)o.Value.Length }.Concat(Encoding.ASCII.GetBytes(o.Value)))];

    /// <summary>The answers of §6 to the requests of §6; anything else is refused with exception 02.</summary>
    [Test]
    public async Task Reads_records_1_and_2_of_file_4(CancellationToken ct)
    {
        var records = new byte[4];

        var result = await _master.ReadFileRecordAsync(Unit, 4, 1, records, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(Convert.FromHexString("14070600040001" + "0002")));
        Assert.That(Convert.ToHexString(records), Is.EqualTo("0DFE0020"));
    }

    [Test]
    public async Task Writes_records_7_to_9_of_file_4(CancellationToken ct)
    {
        var result = await _master.WriteFileRecordAsync(Unit, 4, 7, Convert.FromHexString("06AF04BE100D"), ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(LastRequest, Is.EqualTo(Convert.FromHexString("150D06000400070003" + "06AF04BE100D")));
    }

    [Test]
    public async Task A_refused_file_record_write_is_the_slaves_exception(CancellationToken ct)
    {
        var result = await _master.WriteFileRecordAsync(Unit, 5, 0, new byte[] { 1, 2 }, ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception));
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
    }

    private byte[] Answer(byte[] request)
    {
        lock (_requests)
            _requests.Add(request);
        return Convert.ToHexString(request) switch
        {
            "0100130013" => [0x01, 0x03, 0xCD, 0x6B, 0x05],
            "0200C40016" => [0x02, 0x03, 0xAC, 0xDB, 0x35],
            "0500ACFF00" => request,
            "0F0013000A02CD01" => request[..5],
            "1700030006000E00030600FF00FF00FF" => [0x17, 0x0C, 0x00, 0xFE, 0x0A, 0xCD, 0x00, 0x01, 0x00, 0x03, 0x00, 0x0D, 0x00, 0xFF],
            "14070600040001" + "0002" => [0x14, 0x06, 0x05, 0x06, 0x0D, 0xFE, 0x00, 0x20],
            "150D06000400070003" + "06AF04BE100D" => request,
            "2B0E0100" => [0x2B, 0x0E, 0x01, 0x81, 0xFF, 0x02, 0x02, .. DeviceObjects((0, "Company identification"), (1, "Product code XX"))],
            "2B0E0102" => [0x2B, 0x0E, 0x01, 0x81, 0x00, 0x00, 0x01, .. DeviceObjects((2, "V2.11"))],
            _ => [(byte)(request[0] | 0x80), 0x02],
        };
    }
}
