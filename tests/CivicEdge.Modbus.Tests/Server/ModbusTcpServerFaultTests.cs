using System.Net;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>Each fault of a <see cref="FaultPlan"/> as a raw client sees it on the wire of a Modbus TCP server.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusTcpServerFaultTests
{
    private const byte Unit = 1;

    private readonly RegisterBank _bank = new();
    private readonly FakeTimeProvider _clock = new();
    private FaultPlan _faults = null!;
    private ModbusTcpServer _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _bank.Write(RegisterTable.HoldingRegisters, 0, [0x1111, 0x2222, 0x3333]);
        _faults = new FaultPlan(new Random(7));
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == Unit ? _bank : null, _faults, _clock);
        await _server.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task No_answer_drops_the_request_and_the_next_one_is_answered()
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.NoAnswer, Count = 1 });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(1, Unit, "06 00 00 AB CD"), RawModbusClient.Adu(2, Unit, "03 00 00 00 01"));
        var answer = await client.ReceiveAsync();

        Assert.That(answer, Is.EqualTo(((ushort)2, Unit, "03021111")), "the dropped write is neither answered nor applied");
        Assert.That(_faults.Injected(ModbusFaultKind.NoAnswer), Is.EqualTo(1));
    }

    [Test]
    public async Task A_late_answer_waits_for_its_delay_on_the_server_clock()
    {
        var delay = TimeSpan.FromSeconds(5);
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.LateAnswer, Delay = delay, Count = 1 });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(1, Unit, "03 00 01 00 01"));
        var advanced = TimeSpan.Zero;
        while (client.Available == 0)
        {
            await Task.Delay(10);
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            advanced += TimeSpan.FromMilliseconds(250);
        }

        var answer = await client.ReceiveAsync();
        Assert.That(answer, Is.EqualTo(((ushort)1, Unit, "03022222")));
        Assert.That(advanced, Is.GreaterThanOrEqualTo(delay), "the answer came before the server's clock reached the delay");
    }

    [Test]
    public async Task Wrong_unit_answers_with_another_unit_identifier()
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.WrongUnit });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(9, Unit, "03 00 00 00 01"));
        var answer = await client.ReceiveAsync();

        Assert.That(answer, Is.EqualTo(((ushort)9, (byte)(Unit + 1), "03021111")));
    }

    [TestCase(ModbusExceptionCode.IllegalFunction, "8601")]
    [TestCase(ModbusExceptionCode.ServerDeviceBusy, "8606")]
    [TestCase(ModbusExceptionCode.GatewayPathUnavailable, "860A")]
    public async Task An_exception_fault_refuses_with_its_code_and_leaves_the_bank_alone(ModbusExceptionCode code, string expected)
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.Exception, ExceptionCode = code });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(2, Unit, "06 00 00 AB CD"));
        var answer = await client.ReceiveAsync();

        Assert.That(answer, Is.EqualTo(((ushort)2, Unit, expected)));
        var register = new ushort[1];
        _bank.Read(RegisterTable.HoldingRegisters, 0, register);
        Assert.That(register[0], Is.EqualTo(0x1111));
    }

    [Test]
    public async Task Garbage_goes_out_just_before_the_answer()
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.Garbage, GarbageLength = 5 });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(3, Unit, "03 00 02 00 01"));
        var garbage = await client.ReceiveBytesAsync(5);
        var answer = await client.ReceiveAsync();

        Assert.That(garbage, Has.Length.EqualTo(5));
        Assert.That(answer, Is.EqualTo(((ushort)3, Unit, "03023333")));
    }

    [Test]
    public async Task A_second_answer_repeats_the_first()
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.SecondAnswer, Count = 1 });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(4, Unit, "03 00 00 00 01"), RawModbusClient.Adu(5, Unit, "03 00 01 00 01"));
        var answers = new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.That(answers, Is.EqualTo(new[]
        {
            ((ushort)4, Unit, "03021111"),
            ((ushort)4, Unit, "03021111"),
            ((ushort)5, Unit, "03022222"),
        }));
    }

    [Test]
    public async Task A_crc_error_has_no_meaning_on_tcp_and_the_answer_is_clean()
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.CrcError });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(6, Unit, "03 00 00 00 01"));

        Assert.That(await client.ReceiveAsync(), Is.EqualTo(((ushort)6, Unit, "03021111")));
    }

    [Test]
    public async Task Faults_changed_at_run_time_apply_from_the_next_request()
    {
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);
        await client.SendAsync(RawModbusClient.Adu(1, Unit, "03 00 00 00 01"));
        var before = await client.ReceiveAsync();

        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.Exception, ExceptionCode = ModbusExceptionCode.Acknowledge });
        await client.SendAsync(RawModbusClient.Adu(2, Unit, "03 00 00 00 01"));
        var during = await client.ReceiveAsync();

        _faults.Clear();
        await client.SendAsync(RawModbusClient.Adu(3, Unit, "03 00 00 00 01"));
        var after = await client.ReceiveAsync();

        Assert.That(new[] { before, during, after }, Is.EqualTo(new[]
        {
            ((ushort)1, Unit, "03021111"),
            ((ushort)2, Unit, "8305"),
            ((ushort)3, Unit, "03021111"),
        }));
    }

    [Test]
    public async Task A_fault_for_another_unit_leaves_this_one_alone()
    {
        _faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.Exception, Unit = 7, ExceptionCode = ModbusExceptionCode.ServerDeviceBusy });
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(1, Unit, "03 00 00 00 01"));

        Assert.That(await client.ReceiveAsync(), Is.EqualTo(((ushort)1, Unit, "03021111")));
    }
}
