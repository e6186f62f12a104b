using System.Net;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>
/// Every function code through raw byte exchanges with the TCP server: the request and response examples of
/// Modbus Application Protocol V1.1b3 §6, and the exception responses of its state diagrams.
/// </summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusServerFunctionCodeTests
{
    private const byte Unit = 1;

    private RegisterBank _bank = null!;
    private ModbusTcpServer _server = null!;
    private RawModbusClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _bank = new RegisterBank();

        // §6.1: coils 20..38 (addresses 19..37) hold CD 6B 05, first coil in the lowest bit.
        _bank.WriteBits(RegisterTable.Coils, 19, Bits([0xCD, 0x6B, 0x05], 19));

        // §6.2: discrete inputs 197..218 (addresses 196..217) hold AC DB 35.
        _bank.WriteBits(RegisterTable.DiscreteInputs, 196, Bits([0xAC, 0xDB, 0x35], 22));

        // §6.17: holding registers 4..9 (addresses 3..8).
        _bank.Write(RegisterTable.HoldingRegisters, 3, [0x00FE, 0x0ACD, 0x0001, 0x0003, 0x000D, 0x00FF]);

        _bank.Identification.VendorName = "Company identification";
        _bank.Identification.ProductCode = "Product code XX";
        _bank.Identification.MajorMinorRevision = "V2.11";
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == Unit ? _bank : null);
        await _server.StartAsync(CancellationToken.None);
        _client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);
    }

    [TearDown]
    public async Task StopServer()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase("01 0013 0013", "01 03 CD6B05", TestName = "Read coils answers the example of the spec")]
    [TestCase("02 00C4 0016", "02 03 ACDB35", TestName = "Read discrete inputs answers the example of the spec")]
    [TestCase("05 00AC FF00", "05 00AC FF00", TestName = "Write single coil echoes the request")]
    [TestCase("0F 0013 000A 02 CD01", "0F 0013 000A", TestName = "Write multiple coils answers address and quantity")]
    [TestCase("17 0003 0006 000E 0003 06 00FF00FF00FF", "17 0C 00FE0ACD00010003000D00FF", TestName = "Read write multiple registers answers the registers read")]
    [TestCase("2B 0E 01 00", "2B 0E 01 81 00 00 03 00 16 436F6D70616E79206964656E74696669636174696F6E 01 0F 50726F6475637420636F6465205858 02 05 56322E3131",
        TestName = "Read device identification streams the basic objects")]
    [TestCase("2B 0E 04 02", "2B 0E 04 81 00 00 01 02 05 56322E3131", TestName = "Read device identification reads one object")]
    public async Task A_request_gets_the_response_of_the_spec(string requestPdu, string responsePdu)
    {
        await _client.SendAsync(RawModbusClient.Adu(1, Unit, requestPdu));

        Assert.That(await _client.ReceiveAsync(), Is.EqualTo(((ushort)1, Unit, Hex(responsePdu))));
    }

    [TestCase("01 0000 0000", "8103", TestName = "Read coils of 0 is illegal data value")]
    [TestCase("01 0000 07D1", "8103", TestName = "Read coils of 2001 is illegal data value")]
    [TestCase("02 FFFF 0002", "8202", TestName = "Read discrete inputs past the end is illegal data address")]
    [TestCase("05 0001 1234", "8503", TestName = "Write single coil with a value other than FF00 or 0000 is illegal data value")]
    [TestCase("0F 0000 000A 01 CD", "8F03", TestName = "Write multiple coils whose byte count does not match is illegal data value")]
    [TestCase("0F FFFF 0002 01 03", "8F02", TestName = "Write multiple coils past the end is illegal data address")]
    [TestCase("17 FFFF 0002 0000 0001 02 0001", "9702", TestName = "Read write multiple registers reading past the end is illegal data address")]
    [TestCase("17 0000 0001 0000 007A F4 00", "9703", TestName = "Read write multiple registers writing 122 is illegal data value")]
    [TestCase("2B 0E 04 05", "AB02", TestName = "Read device identification of an object the unit lacks is illegal data address")]
    [TestCase("2B 0E 05 00", "AB03", TestName = "Read device identification with code 5 is illegal data value")]
    public async Task A_bad_request_gets_the_exception_of_the_spec(string requestPdu, string responsePdu)
    {
        await _client.SendAsync(RawModbusClient.Adu(2, Unit, requestPdu));

        Assert.That(await _client.ReceiveAsync(), Is.EqualTo(((ushort)2, Unit, Hex(responsePdu))));
    }

    [Test]
    public async Task Writes_of_coils_land_in_the_bank_and_raise_written_by_master()
    {
        var written = new List<(RegisterTable, ushort, int)>();
        _bank.WrittenByMaster += (table, address, count) => written.Add((table, address, count));

        await _client.SendAsync(RawModbusClient.Adu(3, Unit, "0F 0100 000A 02 CD01"), RawModbusClient.Adu(4, Unit, "05 0200 FF00"));
        await _client.ReceiveAsync();
        await _client.ReceiveAsync();

        var coils = new bool[10];
        _bank.ReadBits(RegisterTable.Coils, 0x0100, coils);
        var single = new bool[1];
        _bank.ReadBits(RegisterTable.Coils, 0x0200, single);
        Assert.That(coils, Is.EqualTo(Bits([0xCD, 0x01], 10)));
        Assert.That(single[0], Is.True);
        Assert.That(written, Is.EqualTo(new[] { (RegisterTable.Coils, (ushort)0x0100, 10), (RegisterTable.Coils, (ushort)0x0200, 1) }));
    }

    [Test]
    public async Task Read_write_multiple_registers_writes_before_it_reads()
    {
        await _client.SendAsync(RawModbusClient.Adu(5, Unit, "17 0010 0002 0010 0002 04 AAAA BBBB"));

        Assert.That(await _client.ReceiveAsync(), Is.EqualTo(((ushort)5, Unit, "1704AAAABBBB")));
    }

    [Test]
    public async Task A_write_guard_refuses_coils_with_its_own_exception_and_leaves_them()
    {
        _bank.WriteGuard = (table, _, _) => table == RegisterTable.Coils ? ModbusExceptionCode.ServerDeviceBusy : ModbusExceptionCode.None;

        await _client.SendAsync(RawModbusClient.Adu(6, Unit, "05 0300 FF00"));
        var answer = await _client.ReceiveAsync();

        var coil = new bool[1];
        _bank.ReadBits(RegisterTable.Coils, 0x0300, coil);
        Assert.That(answer, Is.EqualTo(((ushort)6, Unit, "8506")));
        Assert.That(coil[0], Is.False);
    }

    [Test]
    public async Task A_unit_without_identification_objects_refuses_function_43_as_illegal()
    {
        _bank.Identification.VendorName = null;
        _bank.Identification.ProductCode = null;
        _bank.Identification.MajorMinorRevision = null;

        await _client.SendAsync(RawModbusClient.Adu(7, Unit, "2B 0E 01 00"));

        Assert.That(await _client.ReceiveAsync(), Is.EqualTo(((ushort)7, Unit, "AB01")));
    }

    [Test]
    public async Task Regular_identification_streams_from_the_object_asked_for()
    {
        _bank.Identification.ModelName = "SDM630";

        await _client.SendAsync(RawModbusClient.Adu(8, Unit, "2B 0E 02 02"));

        Assert.That(await _client.ReceiveAsync(), Is.EqualTo(((ushort)8, Unit, Hex("2B 0E 02 82 00 00 02 02 05 56322E3131 05 06 53444D363330"))));
    }

    private static string Hex(string spaced) => spaced.Replace(" ", "", StringComparison.Ordinal);

    private static bool[] Bits(byte[] packed, int count) =>
        Enumerable.Range(0, count).Select(i => (packed[i / 8] & (1 << (i % 8))) != 0).ToArray();
}
