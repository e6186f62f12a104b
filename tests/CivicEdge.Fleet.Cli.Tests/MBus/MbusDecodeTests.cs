using System.Text.Json;
using CivicEdge.Fleet.Cli.MBus;
using CivicEdge.Fleet.Cli.Tests.Modbus;

namespace CivicEdge.Fleet.Cli.Tests.MBus;

/// <summary>
/// <c>civic mbus decode --file</c> over a telegram of an Engelmann WaterStar water meter, sound and damaged; <c>read</c>
/// and <c>scan</c> through a TCP converter with that meter behind it.
/// </summary>
[Category("Unit")]
public sealed class MbusDecodeTests
{
    private const string WaterStar =
        "68 51 51 68 08 0B 72 54 02 99 04 C5 14 00 06 0C 27 00 00 04 78 2E 25 4C 00 04 6D 0A 0C CD 13 04 13 4C 01 00 00 " +
        "44 13 4B 01 00 00 84 01 13 4C 01 00 00 42 6C BF 1C 02 6C DF 1C 04 3B 00 00 00 00 14 3B 16 08 00 00 02 23 A7 04 " +
        "01 FD 17 00 04 90 28 08 00 00 00 3F 16";

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("civic-mbus-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Decode_json_prints_the_header_and_every_record_with_quantity_unit_and_value()
    {
        var (exit, output) = await CivicRun.RunAsync("mbus", "decode", "--file", Write("waterstar.hex", WaterStar), "--json");

        Assert.That(exit, Is.Zero, output);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.That(root.GetProperty("header").GetProperty("id").GetInt64(), Is.EqualTo(4990254));
        Assert.That(root.GetProperty("header").GetProperty("manufacturer").GetString(), Is.EqualTo("EFE"));
        var records = root.GetProperty("records").EnumerateArray().ToList();
        Assert.That(records, Has.Count.EqualTo(12), "the records of EFE_Engelmann-WaterStar.norm.xml");
        Assert.That(records[1].GetProperty("value").GetString(), Is.EqualTo("2014-03-13T12:10:00"));
        Assert.That(records[2].GetProperty("quantity").GetString(), Is.EqualTo("Volume"));
        Assert.That(records[2].GetProperty("unit").GetString(), Is.EqualTo("m^3"));
        Assert.That(records[2].GetProperty("value").GetDouble(), Is.EqualTo(0.332).Within(1e-12));
        Assert.That(records[3].GetProperty("storageNumber").GetInt64(), Is.EqualTo(1));
        Assert.That(root.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Decode_prints_a_table_by_default()
    {
        var (exit, output) = await CivicRun.RunAsync("mbus", "decode", "--file", Write("waterstar.hex", WaterStar));

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("manufacturer EFE").And.Contain("Volume").And.Contain("0.332"));
    }

    [Test]
    public async Task A_wrong_checksum_names_offset_expected_and_found()
    {
        var damaged = WaterStar[..^5] + "40 16";

        var (exit, output) = await CivicRun.RunAsync("mbus", "decode", "--file", Write("damaged.hex", damaged));

        Assert.That(exit, Is.EqualTo(MbusExitCodes.Malformed));
        Assert.That(output, Does.Contain("offset 85: expected checksum 3F over 81 bytes, found 40"));
    }

    [Test]
    public async Task A_file_that_is_not_hex_is_refused_with_the_token_and_its_position()
    {
        var (exit, output) = await CivicRun.RunAsync("mbus", "decode", "--file", Write("bad.hex", "68 51 ZZ"));

        Assert.That(exit, Is.EqualTo(MbusExitCodes.Usage));
        Assert.That(output, Does.Contain("expected hex bytes such as 68 1F, found 'ZZ' as byte 2"));
    }

    [Test]
    [Category("Integration")]
    public async Task Read_through_a_tcp_converter_prints_the_meters_records()
    {
        await using var converter = new MbusConverter(new() { [11] = Hex(WaterStar) });

        var (exit, output) = await CivicRun.RunAsync("mbus", "read", "--tcp", converter.Endpoint, "--address", "11", "--reset", "--json");

        Assert.That(exit, Is.Zero, output);
        using var document = JsonDocument.Parse(output);
        var telegram = document.RootElement.GetProperty("telegrams").EnumerateArray().Single();
        Assert.That(telegram.GetProperty("header").GetProperty("id").GetInt64(), Is.EqualTo(4990254));
        Assert.That(telegram.GetProperty("records").EnumerateArray().Count(), Is.EqualTo(12));
    }

    [Test]
    [Category("Integration")]
    public async Task Reading_an_address_nobody_answers_exits_with_the_timeout_code()
    {
        await using var converter = new MbusConverter(new() { [11] = Hex(WaterStar) });

        var (exit, output) = await CivicRun.RunAsync("mbus", "read", "--tcp", converter.Endpoint, "--address", "12", "--timeout", "100ms", "--retries", "0");

        Assert.That(exit, Is.EqualTo(MbusExitCodes.Timeout), output);
        Assert.That(output, Does.Contain("Timeout: no answer within 100 ms"));
    }

    [Test]
    [Category("Integration")]
    public async Task Scan_lists_the_primary_addresses_that_acknowledge()
    {
        await using var converter = new MbusConverter(new() { [3] = Hex(WaterStar), [11] = Hex(WaterStar) });

        var (exit, output) = await CivicRun.RunAsync("mbus", "scan", "--tcp", converter.Endpoint, "--from", "1", "--to", "12", "--timeout", "500ms", "--retries", "0", "--json");

        Assert.That(exit, Is.Zero, output);
        Assert.That(JsonSerializer.Deserialize<string[]>(output), Is.EqualTo(new[] { "3", "11" }));
    }

    [Test]
    [Category("Integration")]
    public async Task Read_over_a_serial_line_at_2400_8e1_prints_the_meters_records()
    {
        using var pty = await SocatPtyPair.StartAsync(CancellationToken.None);
        await using var meter = new MbusSerialMeter(pty.PeerPath, 11, Hex(WaterStar));

        var (exit, output) = await CivicRun.RunAsync("mbus", "read", "--serial", pty.DevicePath, "--address", "11", "--reset", "--timeout", "3s");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("id 4990254, manufacturer EFE").And.Contain("Volume").And.Contain("0.332"));
    }

    [Test]
    public async Task Read_without_a_link_says_what_is_expected()
    {
        var (exit, output) = await CivicRun.RunAsync("mbus", "read", "--address", "1");

        Assert.That(exit, Is.EqualTo(MbusExitCodes.Usage));
        Assert.That(output, Does.Contain("expected --serial PATH or --tcp HOST:PORT; found neither"));
    }

    private static byte[] Hex(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
