using System.Net;
using CivicEdge.MBus;
using CivicEdge.Meters;
using CivicEdge.Protocols.MBus;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Simulators.MeterLines;
using CivicEdge.Simulators.Meters;
using CivicEdge.Transports;

namespace CivicEdge.Simulators.Tests.MeterLines;

/// <summary>
/// The simulated meter lines read by the gateway's own masters over real socat pty pairs (and a TCP converter), with
/// the line paced at its baud rate; faults arrive at the master as it would see them from a real line.
/// </summary>
[Category("Integration")]
public sealed class MeterLineServerTests
{
    private static readonly MeterAddress Power = MeterAddress.Parse("000012345678", 6);
    private static readonly MeterAddress OldPower = MeterAddress.Parse("000012345679", 6);
    private static readonly MeterAddress Water = MeterAddress.Parse("20240000001234", 7);
    private static readonly MeterLineOptions Patient = new() { ResponseTimeout = TimeSpan.FromSeconds(2), Retries = 0 };

    private SocatPtyPair _pty = null!;

    [SetUp]
    public async Task StartPty() => _pty = await SocatPtyPair.StartAsync(CancellationToken.None);

    [TearDown]
    public void StopPty() => _pty.Dispose();

    private static SerialChannel Master(string path, int baud = 9600) => new(new SerialChannelOptions { Path = path, BaudRate = baud, ReadTimeout = TimeSpan.FromSeconds(2) });

    private MeterLineServer OnPty(IMeterLineProtocol line, params MeterFaultRule[] faults) =>
        MeterLineServer.OnSerial(line, new SerialChannelOptions { Path = _pty.PeerPath, BaudRate = 9600 }, new MeterFaultPlan(new Random(1), faults, DateTimeOffset.UtcNow), new Random(1));

    [Test]
    public async Task A_simulated_heat_meter_decodes_with_the_record_layout_of_a_real_T230_and_the_models_values()
    {
        var model = new HeatMeterModel(TimeProvider.System, new Random(7));
        model.Pin("supply_temperature", 71.3);
        model.Pin("return_temperature", 44.8);
        model.Pin("heat_energy", 123456.7);
        await using var server = OnPty(new MbusLine([new MbusHeatMeter(5, "66660205", model)]));
        await server.StartAsync(CancellationToken.None);
        await using var master = new MbusMaster(Master(_pty.DevicePath), new MbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2), Retries = 0 });

        var result = await master.ReadAsync(5, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Ok), result.Error);
        var telegram = result.Telegrams.Single();
        Assert.That((telegram.Error, telegram.Header!.Identification, telegram.Header.Medium), Is.EqualTo(((string?)null, 66660205L, MbusHeatMeter.HeatMedium)));
        var records = telegram.Records.ToDictionary(r => (r.Quantity, r.StorageNumber));
        Assert.That(records[("Flow temperature", 0)].Value, Is.EqualTo(71.3).Within(1e-9));
        Assert.That(records[("Return temperature", 0)].Value, Is.EqualTo(44.8).Within(1e-9));
        Assert.That(records[("Temperature difference", 0)].Value, Is.EqualTo(26.5).Within(1e-9));
        Assert.That((records[("Energy", 0)].Value, records[("Energy", 0)].Unit), Is.EqualTo((123456000.0, "Wh")), "whole kWh, as the VIF 06 says");
        Assert.That(records[("Error flags", 0)].Value, Is.Zero);

        // A real Landis+Gyr Ultraheat T230 (libmbus sample) sends these quantities in these units and storages.
        var real = RealT230().Records.Select(r => (r.Quantity, r.Unit, r.StorageNumber, r.Function)).ToHashSet();
        var simulated = telegram.Records.Where(r => r.Quantity != "Error flags").Select(r => (r.Quantity, r.Unit, r.StorageNumber, r.Function));
        Assert.That(simulated, Is.SubsetOf(real));
    }

    [Test]
    public async Task A_heat_meter_is_read_by_its_secondary_address()
    {
        await using var server = OnPty(new MbusLine([
            new MbusHeatMeter(1, "10000001", new HeatMeterModel(TimeProvider.System, new Random(1))),
            new MbusHeatMeter(2, "10000002", new HeatMeterModel(TimeProvider.System, new Random(2))),
        ]));
        await server.StartAsync(CancellationToken.None);
        await using var master = new MbusMaster(Master(_pty.DevicePath), new MbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(2), Retries = 0 });

        var result = await master.ReadAsync(MbusSecondaryAddress.Parse("10000002"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Ok), result.Error);
        Assert.That(result.Telegrams.Single().Header!.Identification, Is.EqualTo(10000002));
    }

    [Test]
    public async Task Dlt645_2007_and_1997_meters_on_one_line_answer_their_data_and_refuse_what_they_lack()
    {
        var modern = new ThreePhaseMeterModel(TimeProvider.System, new Random(3));
        modern.Pin("voltage_l1", 231.4);
        modern.Pin("import_active_energy", 98765.43);
        await using var server = OnPty(new Dlt645Line([
            new Dlt645Meter(Power, Dlt645Version.V2007, modern),
            new Dlt645Meter(OldPower, Dlt645Version.V1997, new ThreePhaseMeterModel(TimeProvider.System, new Random(4))),
        ]));
        await server.StartAsync(CancellationToken.None);
        using var master2007 = new Dlt645Master(Master(_pty.DevicePath), Patient);

        var energy = await master2007.ReadAsync(Power, 0x00010000, CancellationToken.None);
        var voltage = await master2007.ReadAsync(Power, 0x02010100, CancellationToken.None);
        var missing = await master2007.ReadAsync(Power, 0x04000401, CancellationToken.None);

        Assert.That(Value(energy, Dlt645Version.V2007), Is.EqualTo(98765.43m));
        Assert.That(Value(voltage, Dlt645Version.V2007), Is.EqualTo(231.4m));
        Assert.That((missing.Value!.Kind, missing.Value.Errors), Is.EqualTo((Dlt645ReplyKind.Error, Dlt645ErrorFlags.NoRequestedData)));
    }

    [Test]
    public async Task A_1997_meter_answers_two_byte_identifiers()
    {
        var model = new ThreePhaseMeterModel(TimeProvider.System, new Random(4));
        model.Pin("import_active_energy", 1234.56);
        await using var server = OnPty(new Dlt645Line([new Dlt645Meter(OldPower, Dlt645Version.V1997, model)]));
        await server.StartAsync(CancellationToken.None);
        using var master = new Dlt645Master(Master(_pty.DevicePath), Patient, Dlt645Version.V1997);

        var energy = await master.ReadAsync(OldPower, 0x9010, CancellationToken.None);

        Assert.That(Value(energy, Dlt645Version.V1997), Is.EqualTo(1234.56m));
    }

    [TestCase("bad-checksum", MeterFailure.Damaged)]
    [TestCase("truncated", MeterFailure.Damaged)]
    [TestCase("garbage=12", MeterFailure.Damaged)]
    [TestCase("wrong-address", MeterFailure.Damaged)]
    [TestCase("no-answer", MeterFailure.NoAnswer)]
    [TestCase("late=3s", MeterFailure.NoAnswer)]
    [TestCase("gone=0s", MeterFailure.NoAnswer)]
    public async Task A_fault_reaches_the_master_as_a_real_lines_would(string fault, MeterFailure expected)
    {
        Assert.That(MeterFaultText.TryParse(fault, out var rule, out var error), Is.True, error);
        await using var server = OnPty(new Dlt645Line([new Dlt645Meter(Power, Dlt645Version.V2007, new ThreePhaseMeterModel(TimeProvider.System, new Random(5)))]), rule!);
        await server.StartAsync(CancellationToken.None);
        using var master = new Dlt645Master(Master(_pty.DevicePath), Patient);

        var result = await master.ReadAsync(Power, 0x00010000, CancellationToken.None);

        Assert.That((result.Succeeded, result.Failure), Is.EqualTo((false, expected)), result.Reason);
    }

    [Test]
    public async Task A_refusal_fault_is_a_dlt645_abnormal_reply()
    {
        await using var server = OnPty(new Dlt645Line([new Dlt645Meter(Power, Dlt645Version.V2007, new ThreePhaseMeterModel(TimeProvider.System, new Random(5)))]),
            new MeterFaultRule(MeterFaultKind.Refusal));
        await server.StartAsync(CancellationToken.None);
        using var master = new Dlt645Master(Master(_pty.DevicePath), Patient);

        var result = await master.ReadAsync(Power, 0x00010000, CancellationToken.None);

        Assert.That((result.Value!.Kind, result.Value.Errors), Is.EqualTo((Dlt645ReplyKind.Error, Dlt645ErrorFlags.Unauthorized)));
    }

    [Test]
    public async Task A_cjt188_water_meter_behind_a_tcp_converter_reads_closes_its_valve_and_refuses_when_told()
    {
        var model = new WaterMeterModel(TimeProvider.System, new Random(6));
        model.Pin("volume_forward", 321.456);
        await using var server = MeterLineServer.OnTcp(new CjT188Line([new CjT188WaterMeter(Water, model, CjT188IdentifierOrder.LowByteFirst)]),
            new IPEndPoint(IPAddress.Loopback, 0), 2400, new MeterFaultPlan(new Random(1), [new MeterFaultRule(MeterFaultKind.Refusal, Count: 1, Address: Water.Digits)], DateTimeOffset.UtcNow), new Random(1));
        var endpoint = await server.StartAsync(CancellationToken.None);
        var port = int.Parse(endpoint.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        using var master = new CjT188Master(new TcpClientChannel("127.0.0.1", port, TimeSpan.FromSeconds(2)), Patient, CjT188IdentifierOrder.LowByteFirst);

        var refused = await master.ReadMeterDataAsync(CjT188MeterType.ColdWater, Water, CancellationToken.None);
        var read = await master.ReadMeterDataAsync(CjT188MeterType.ColdWater, Water, CancellationToken.None);
        var closed = await master.ControlValveAsync(CjT188MeterType.ColdWater, Water, open: false, CancellationToken.None);

        Assert.That(refused.Failure, Is.EqualTo(MeterFailure.Refused), refused.Reason);
        Assert.That(read.Succeeded, Is.True, read.Reason);
        Assert.That(CjT188MeterData.TryDecode(read.Value!.Payload, out var data, out var reason), Is.True, reason);
        Assert.That((data!.Current, data.CurrentUnit, data.Status.Valve), Is.EqualTo((321.46m, CjT188Unit.CubicMetre, CjT188ValveState.Open)));
        Assert.That(closed.Value!.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Closed));
    }

    [TestCase("no-answer:0.1", MeterFaultKind.NoAnswer, 0.1, null, null)]
    [TestCase("bad-checksum:x5@000012345678", MeterFaultKind.BadChecksum, 1.0, 5, "000012345678")]
    [TestCase("late=3s", MeterFaultKind.Late, 1.0, null, null)]
    public void Fault_rules_are_read_from_the_command_line(string text, MeterFaultKind kind, double probability, int? count, string? address)
    {
        Assert.That(MeterFaultText.TryParse(text, out var rule, out var error), Is.True, error);
        Assert.That((rule!.Kind, rule.Probability, rule.Count, rule.Address), Is.EqualTo((kind, probability, count, address)));
    }

    [TestCase("gone", "expected gone=DURATION")]
    [TestCase("crc-error", "expected a fault kind of no-answer, bad-checksum")]
    [TestCase("no-answer:2", "expected a probability 0..1 or xN after ':'; found '2'")]
    [TestCase("truncated@x1", "expected a meter address of digits after '@'; found 'x1'")]
    public void A_bad_fault_rule_says_what_was_expected(string text, string expected)
    {
        Assert.That(MeterFaultText.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.StartWith(expected));
    }

    private static decimal Value(MeterResult<Dlt645Reply> result, Dlt645Version version)
    {
        Assert.That(result.Succeeded, Is.True, result.Reason);
        Assert.That(result.Value!.TryReadValue(version, out _, out var value, out var reason), Is.True, reason);
        return value;
    }

    private static MbusTelegram RealT230()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "CivicEdge.slnx")))
            directory = directory.Parent;
        var text = File.ReadAllText(Path.Combine(directory.FullName, "tests", "CivicEdge.Protocols.MBus.Tests", "testdata", "mbus", "frames", "landis+gyr_ultraheat_t230.hex"));
        var bytes = Convert.FromHexString(string.Concat(text.Where(char.IsAsciiHexDigit)));
        return MbusApplicationDecoder.Decode(MbusFramer.Decode(bytes).ApplicationData(bytes));
    }
}
