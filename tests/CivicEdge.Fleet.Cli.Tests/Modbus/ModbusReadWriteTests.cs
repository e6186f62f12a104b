using System.Text.Json;
using CivicEdge.Fleet.Cli.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

[Category("Integration")]
public sealed class ModbusReadWriteTests
{
    private static readonly (string Type, RegisterDataType DataType, double Value)[] TypedValues =
    [
        ("uint16", RegisterDataType.UInt16, 65000),
        ("int16", RegisterDataType.Int16, -1234),
        ("uint32", RegisterDataType.UInt32, 4_000_000_000),
        ("int32", RegisterDataType.Int32, -200_000),
        ("int64", RegisterDataType.Int64, -1_234_567_890_123),
        ("float32", RegisterDataType.Float32, 12.5),
        ("float64", RegisterDataType.Float64, -0.1),
    ];

    private static IEnumerable<TestCaseData> EveryTypeInEveryOrder() =>
        from t in TypedValues
        from order in Enum.GetValues<RegisterOrder>()
        select new TestCaseData(t.Type, t.DataType, order, t.Value).SetArgDisplayNames(t.Type, order.ToString());

    [TestCaseSource(nameof(EveryTypeInEveryOrder))]
    public async Task Read_decodes_each_type_in_each_order_as_the_profile_codec_encoded_it(string type, RegisterDataType dataType, RegisterOrder order, double value)
    {
        await using var server = await ModbusTestServer.StartAsync();
        var registers = new ushort[RegisterValueCodec.RegisterCount(dataType)];
        RegisterValueCodec.Encode(value, dataType, order, registers);
        server.Bank.Write(RegisterTable.HoldingRegisters, 100, registers);

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "--holding", "100", "1", "--type", type, "--order", order.ToString(), "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var first = json.RootElement.GetProperty("values")[0];
        Assert.That(first.GetProperty("value").GetDouble(), Is.EqualTo(value));
        Assert.That(first.GetProperty("raw").GetString(), Is.EqualTo(ModbusValueFormat.Hex(registers)));
    }

    [Test]
    public async Task Read_prints_a_table_of_address_raw_hex_and_value_and_accepts_hex_addresses()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.Write(RegisterTable.InputRegisters, 0x10, [0x1234, 0xFFFF]);

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "--input", "0x10", "2", "--type", "int16");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("16").And.Contain("0x0010").And.Contain("1234").And.Contain("4660"));
        Assert.That(output, Does.Contain("17").And.Contain("FFFF").And.Contain("-1"));
    }

    [Test]
    public async Task Read_applies_the_scale_to_each_value()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.Write(RegisterTable.HoldingRegisters, 0, [2305, 2311]);

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "0", "2", "--scale", "0.1", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var values = json.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetDouble()).ToList();
        Assert.That(values, Is.EqualTo(new[] { 230.5, 231.1 }).Within(1e-9));
    }

    [Test]
    public async Task Read_decodes_bcd_and_strings_and_reports_registers_that_are_not_bcd()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.Write(RegisterTable.HoldingRegisters, 0, [0x1234, 0x0098, 0x7654, 0x12A4]);
        server.Bank.Write(RegisterTable.HoldingRegisters, 10, [0x5344, 0x4D36, 0x3330, 0x0000]);

        var (bcdExit, bcd) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "0", "1", "--type", "bcd16", "--json");
        var (bcd32Exit, bcd32) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "1", "1", "--type", "bcd32", "--json");
        var (dirtyExit, dirty) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "3", "1", "--type", "bcd16", "--json");
        var (textExit, text) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "10", "4", "--type", "string", "--json");

        Assert.That(new[] { bcdExit, bcd32Exit, dirtyExit, textExit }, Is.All.Zero);
        Assert.That(Value(bcd).GetInt64(), Is.EqualTo(1234));
        Assert.That(Value(bcd32).GetInt64(), Is.EqualTo(987654));
        Assert.That(Value(dirty).ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(dirty, Does.Contain("not BCD: digit 3 of 4 is 0xA"));
        Assert.That(Value(text).GetString(), Is.EqualTo("SDM630"));
    }

    [Test]
    public async Task Read_of_more_than_125_registers_is_split_into_several_requests()
    {
        await using var server = await ModbusTestServer.StartAsync();
        var registers = Enumerable.Range(0, 300).Select(i => (ushort)i).ToArray();
        server.Bank.Write(RegisterTable.HoldingRegisters, 0, registers);

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "0", "300", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetInt32()), Is.EqualTo(registers.Select(r => (int)r)));
    }

    [Test]
    public async Task Write_float32_in_word_swapped_order_lands_in_the_register_bank_as_the_codec_expects()
    {
        await using var server = await ModbusTestServer.StartAsync();

        var (exit, output) = await CivicRun.RunAsync("modbus", "write", "--tcp", server.Endpoint, "--holding", "200", "12.5", "-3.25", "--type", "float32", "--order", "CDAB");

        Assert.That(exit, Is.Zero, output);
        var registers = new ushort[4];
        server.Bank.Read(RegisterTable.HoldingRegisters, 200, registers);
        Assert.That(RegisterValueCodec.Decode(registers.AsSpan(0, 2), RegisterDataType.Float32, RegisterOrder.CDAB), Is.EqualTo(12.5));
        Assert.That(RegisterValueCodec.Decode(registers.AsSpan(2, 2), RegisterDataType.Float32, RegisterOrder.CDAB), Is.EqualTo(-3.25));
    }

    [Test]
    public async Task Write_of_one_register_in_hex_reads_back_with_the_same_raw_value()
    {
        await using var server = await ModbusTestServer.StartAsync();

        var (writeExit, written) = await CivicRun.RunAsync("modbus", "write", "--tcp", server.Endpoint, "0x20", "0xBEEF");
        var (readExit, read) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "32", "1", "--json");

        Assert.That(writeExit, Is.Zero, written);
        Assert.That(readExit, Is.Zero, read);
        var registers = new ushort[1];
        server.Bank.Read(RegisterTable.HoldingRegisters, 0x20, registers);
        Assert.That(registers[0], Is.EqualTo(0xBEEF));
        using var json = JsonDocument.Parse(read);
        Assert.That(json.RootElement.GetProperty("values")[0].GetProperty("raw").GetString(), Is.EqualTo("BEEF"));
    }

    [Test]
    public async Task Write_coils_sets_them_in_the_register_bank_and_read_coils_shows_them()
    {
        await using var server = await ModbusTestServer.StartAsync();

        var (writeExit, written) = await CivicRun.RunAsync("modbus", "write", "--tcp", server.Endpoint, "--coil", "5", "on", "off", "1", "1");
        var (singleExit, single) = await CivicRun.RunAsync("modbus", "write", "--tcp", server.Endpoint, "--coil", "9", "on");
        var (readExit, read) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "--coils", "5", "5", "--json");

        Assert.That(new[] { writeExit, singleExit, readExit }, Is.All.Zero, written + single + read);
        var bits = new bool[5];
        server.Bank.ReadBits(RegisterTable.Coils, 5, bits);
        Assert.That(bits, Is.EqualTo(new[] { true, false, true, true, true }));
        using var json = JsonDocument.Parse(read);
        Assert.That(json.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetBoolean()), Is.EqualTo(bits));
    }

    [Test]
    public async Task Read_discrete_inputs_shows_each_bit()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.WriteBits(RegisterTable.DiscreteInputs, 0, [false, true, false]);

        var (exit, output) = await CivicRun.RunAsync("modbus", "read", "--tcp", server.Endpoint, "--discrete", "0", "3", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("raw").GetString()), Is.EqualTo(new[] { "0", "1", "0" }));
    }

    private static JsonElement Value(string output)
    {
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("values")[0].GetProperty("value").Clone();
    }
}
