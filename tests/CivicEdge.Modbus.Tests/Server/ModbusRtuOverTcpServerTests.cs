using System.Net;
using System.Net.Sockets;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>The RTU-over-TCP server against a raw TCP client writing RTU frames, with every fault of a <see cref="FaultPlan"/>.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusRtuOverTcpServerTests
{
    private readonly RegisterBank _unit1 = new();
    private readonly RegisterBank _unit2 = new();
    private readonly FakeTimeProvider _clock = new();
    private ModbusRtuOverTcpServer _server = null!;
    private TcpClient _client = null!;
    private NetworkStream _stream = null!;

    [SetUp]
    public async Task StartServer()
    {
        _unit1.Write(RegisterTable.HoldingRegisters, 0, [0x0101, 0x0102]);
        _unit2.Write(RegisterTable.HoldingRegisters, 0, [0x0201, 0x0202]);
        _server = new ModbusRtuOverTcpServer(
            new IPEndPoint(IPAddress.Loopback, 0), new Dictionary<byte, RegisterBank> { [1] = _unit1, [2] = _unit2 }, new FaultPlan(new Random(3)), _clock);
        await _server.StartAsync(CancellationToken.None);
        _client = new TcpClient();
        await _client.ConnectAsync(_server.LocalEndPoint);
        _stream = _client.GetStream();
    }

    [TearDown]
    public async Task StopServer()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_request_is_answered_in_rtu_framing_without_an_mbap_header()
    {
        await SendAsync(RawRtuMaster.Frame(2, "03 00 00 00 02"));

        Assert.That(await ReceiveAsync(9), Is.EqualTo(RawRtuMaster.Frame(2, "03 04 0201 0202")));
    }

    [Test]
    public async Task Broadcasts_are_applied_and_other_units_and_bad_crcs_are_met_with_silence()
    {
        await SendAsync(
            RawRtuMaster.Frame(0, "06 0001 0BB8"),
            RawRtuMaster.Frame(5, "03 0000 0001"),
            RawRtuMaster.Frame(1, "03 0000 0001", spoilCrc: true),
            RawRtuMaster.Frame(2, "03 0001 0001"));

        Assert.That(await ReceiveAsync(7), Is.EqualTo(RawRtuMaster.Frame(2, "03 02 0BB8")));
        var unit1 = new ushort[1];
        _unit1.Read(RegisterTable.HoldingRegisters, 1, unit1);
        Assert.That(unit1[0], Is.EqualTo(0x0BB8));
        Assert.That((_server.Counters.Broadcasts, _server.Counters.ForOtherUnits, _server.Counters.CrcErrors, _server.Counters.Requests), Is.EqualTo((1L, 1L, 1L, 1L)));
    }

    [Test]
    public async Task No_answer_drops_the_request()
    {
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.NoAnswer, Count = 1 });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"), RawRtuMaster.Frame(1, "03 0001 0001"));

        Assert.That(await ReceiveAsync(7), Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0102")));
    }

    [Test]
    public async Task A_late_answer_waits_for_its_delay_on_the_server_clock()
    {
        var delay = TimeSpan.FromSeconds(2);
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.LateAnswer, Delay = delay });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"));
        var advanced = TimeSpan.Zero;
        while (_client.Available == 0)
        {
            await Task.Delay(10);
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            advanced += TimeSpan.FromMilliseconds(250);
        }

        Assert.That(await ReceiveAsync(7), Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")));
        Assert.That(advanced, Is.GreaterThanOrEqualTo(delay));
    }

    [Test]
    public async Task A_crc_error_spoils_only_the_crc()
    {
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.CrcError });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"));
        var answer = await ReceiveAsync(7);

        Assert.That(answer[..5], Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")[..5]));
        Assert.That(ModbusCrc16.Matches(answer), Is.False);
    }

    [Test]
    public async Task Wrong_unit_answers_as_another_unit_with_a_sound_crc()
    {
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.WrongUnit, Unit = 1 });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"));

        Assert.That(await ReceiveAsync(7), Is.EqualTo(RawRtuMaster.Frame(2, "03 02 0101")));
    }

    [TestCase((byte)1)]
    [TestCase((byte)4)]
    [TestCase((byte)11)]
    public async Task An_exception_fault_answers_that_exception_code(byte code)
    {
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.Exception, ExceptionCode = (ModbusExceptionCode)code });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"));

        Assert.That(await ReceiveAsync(5), Is.EqualTo(RawRtuMaster.Frame(1, $"83 {code:X2}")));
    }

    [Test]
    public async Task Garbage_comes_just_before_a_sound_answer()
    {
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.Garbage, GarbageLength = 6 });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"));
        var received = await ReceiveAsync(6 + 7);

        Assert.That(received[6..], Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")));
    }

    [Test]
    public async Task A_second_answer_repeats_the_first()
    {
        _server.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.SecondAnswer });

        await SendAsync(RawRtuMaster.Frame(1, "03 0000 0001"));

        Assert.That(await ReceiveAsync(14), Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101").Concat(RawRtuMaster.Frame(1, "03 02 0101"))));
    }

    [Test]
    public async Task Device_identification_is_served_in_rtu_framing()
    {
        _unit2.Identification.VendorName = "Acme";
        _unit2.Identification.ProductCode = "X1";
        _unit2.Identification.MajorMinorRevision = "V1.0";

        await SendAsync(RawRtuMaster.Frame(2, "2B 0E 01 00"));

        Assert.That(await ReceiveAsync(26), Is.EqualTo(RawRtuMaster.Frame(2, "2B 0E 01 81 00 00 03 00 04 41636D65 01 02 5831 02 04 56312E30")));
    }

    private async Task SendAsync(params byte[][] frames)
    {
        foreach (var frame in frames)
            await _stream.WriteAsync(frame);
    }

    private async Task<byte[]> ReceiveAsync(int count)
    {
        var bytes = new byte[count];
        await _stream.ReadExactlyAsync(bytes);
        return bytes;
    }
}
