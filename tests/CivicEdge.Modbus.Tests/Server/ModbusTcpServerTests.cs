using System.Net;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>The server against clients on the plain socket API that send exactly the bytes under test.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusTcpServerTests
{
    private const byte Unit = 1;

    private readonly RegisterBank _bank = new();
    private ModbusTcpServer _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _bank.Write(RegisterTable.HoldingRegisters, 0, Enumerable.Range(0, 100).Select(v => (ushort)(0x0100 + v)).ToArray());
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == Unit ? _bank : null);
        await _server.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public void LocalEndPoint_reports_the_port_the_OS_chose()
    {
        Assert.That(_server.LocalEndPoint.Port, Is.Not.Zero);
        Assert.That(_server.LocalEndPoint.Address, Is.EqualTo(IPAddress.Loopback));
    }

    [Test]
    public async Task LocalEndPoint_is_unknown_before_the_server_starts()
    {
        await using var server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), _ => null);

        Assert.That(() => server.LocalEndPoint, Throws.InvalidOperationException);
    }

    [Test]
    public async Task Pipelined_requests_are_answered_in_the_order_they_came()
    {
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync([
            .. RawModbusClient.Adu(7, Unit, "03 00 00 00 01"),
            .. RawModbusClient.Adu(8, Unit, "03 00 0A 00 02"),
            .. RawModbusClient.Adu(9, Unit, "06 00 14 BE EF"),
        ]);
        var answers = new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.That(answers, Is.EqualTo(new[]
        {
            ((ushort)7, Unit, "03020100"),
            ((ushort)8, Unit, "0304010A010B"),
            ((ushort)9, Unit, "060014BEEF"),
        }));
    }

    [Test]
    public async Task A_request_arriving_in_pieces_is_answered_once_it_is_whole()
    {
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);
        var adu = RawModbusClient.Adu(1, Unit, "10 00 01 00 02 04 00 0A 01 02");

        await client.SendAsync(adu[..3], adu[3..8], adu[8..]);
        var answer = await client.ReceiveAsync();

        Assert.That(answer, Is.EqualTo(((ushort)1, Unit, "1000010002")));
        var written = new ushort[2];
        _bank.Read(RegisterTable.HoldingRegisters, 1, written);
        Assert.That(written, Is.EqualTo(new ushort[] { 0x000A, 0x0102 }));
    }

    [TestCase("41 00 00", "C101", TestName = "An unsupported function is refused with illegal function")]
    [TestCase("03 00 00 00 00", "8303", TestName = "A read of 0 registers is refused with illegal data value")]
    [TestCase("04 00 00 00 7E", "8403", TestName = "A read of 126 registers is refused with illegal data value")]
    [TestCase("10 00 00 00 02 03 00 0A 01", "9003", TestName = "A write whose byte count does not match is refused with illegal data value")]
    [TestCase("03 00 00 00 01 FF", "8303", TestName = "A request with bytes to spare is refused with illegal data value")]
    [TestCase("06 00 01", "8603", TestName = "A truncated request is refused with illegal data value")]
    [TestCase("03 FF FF 00 02", "8302", TestName = "A read past the end of the table is refused with illegal data address")]
    [TestCase("10 FF FF 00 02 04 00 0A 01 02", "9002", TestName = "A write past the end of the table is refused with illegal data address")]
    public async Task A_bad_request_gets_the_exception_response_of_the_spec(string requestPdu, string responsePdu)
    {
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(3, Unit, requestPdu));
        var answer = await client.ReceiveAsync();

        Assert.That(answer, Is.EqualTo(((ushort)3, Unit, responsePdu)));
    }

    [Test]
    public async Task An_unknown_unit_is_answered_with_gateway_target_device_failed_to_respond()
    {
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(4, 0x2A, "03 00 00 00 01"));
        var answer = await client.ReceiveAsync();

        Assert.That(answer, Is.EqualTo(((ushort)4, (byte)0x2A, "830B")));
    }

    [Test]
    public async Task A_guard_that_throws_is_a_server_device_failure_and_the_connection_stays()
    {
        _bank.ReadGuard = (_, address, _) => address == 13 ? throw new InvalidOperationException("sensor offline") : ModbusExceptionCode.None;
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);

        await client.SendAsync(RawModbusClient.Adu(1, Unit, "03 00 0D 00 01"), RawModbusClient.Adu(2, Unit, "03 00 0E 00 01"));
        var failed = await client.ReceiveAsync();
        var next = await client.ReceiveAsync();

        Assert.That(failed, Is.EqualTo(((ushort)1, Unit, "8304")));
        Assert.That(next, Is.EqualTo(((ushort)2, Unit, "0302010E")));
    }

    [Test]
    public async Task A_malformed_header_closes_that_connection_and_no_other()
    {
        using var bystander = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);
        using var offender = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);
        var garbage = RawModbusClient.Adu(1, Unit, "03 00 00 00 01");
        garbage[2] = 0x05;

        await offender.SendAsync(garbage);
        bool closed = await offender.IsClosedByServerAsync();
        await bystander.SendAsync(RawModbusClient.Adu(2, Unit, "03 00 01 00 01"));
        var answer = await bystander.ReceiveAsync();

        Assert.That(closed, Is.True);
        Assert.That(answer, Is.EqualTo(((ushort)2, Unit, "03020101")));
    }

    [Test]
    public async Task Many_masters_are_served_at_once_each_from_its_own_unit()
    {
        var banks = Enumerable.Range(0, 8).Select(unit =>
        {
            var bank = new RegisterBank();
            bank.Write(RegisterTable.InputRegisters, 0, [(ushort)(unit * 1000), (ushort)(unit * 1000 + 1)]);
            return bank;
        }).ToArray();
        await using var server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit < banks.Length ? banks[unit] : null);
        await server.StartAsync(CancellationToken.None);

        var masters = Enumerable.Range(0, banks.Length).Select(async unit =>
        {
            await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port });
            var wrong = 0;
            var registers = new ushort[2];
            for (int poll = 0; poll < 25; poll++)
            {
                var result = await master.ReadRegistersAsync((byte)unit, RegisterTable.InputRegisters, 0, registers, CancellationToken.None);
                if (!result.IsOk || registers[0] != unit * 1000 || registers[1] != unit * 1000 + 1)
                    wrong++;
            }

            return wrong;
        });
        var wrongAnswers = await Task.WhenAll(masters);

        Assert.That(wrongAnswers, Has.All.Zero);
    }

    [Test]
    public async Task Disposing_the_server_closes_its_client_connections()
    {
        using var client = await RawModbusClient.ConnectAsync(_server.LocalEndPoint);
        await client.SendAsync(RawModbusClient.Adu(1, Unit, "03 00 00 00 01"));
        await client.ReceiveAsync();

        await _server.DisposeAsync();

        Assert.That(await client.IsClosedByServerAsync(), Is.True);
    }

    [Test]
    public async Task A_server_cannot_be_started_twice()
    {
        await Assert.ThatAsync(() => _server.StartAsync(CancellationToken.None), Throws.InvalidOperationException);
    }
}
