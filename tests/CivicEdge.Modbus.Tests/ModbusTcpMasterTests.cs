using System.Net;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests;

/// <summary>The master against the server over loopback, both for real.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusTcpMasterTests
{
    private const byte Unit = 1;

    private readonly RegisterBank _bank = new();
    private ModbusTcpServer _server = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == Unit ? _bank : null);
        await _server.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Reads_the_holding_registers_the_device_holds(CancellationToken ct)
    {
        _bank.Write(RegisterTable.HoldingRegisters, 0x006B, [0x022B, 0x0000, 0x0064]);
        await using var master = Master();
        var registers = new ushort[3];

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0x006B, registers, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x022B, 0x0000, 0x0064 }));
    }

    [Test]
    public async Task Reads_input_registers_from_their_own_table(CancellationToken ct)
    {
        _bank.Write(RegisterTable.HoldingRegisters, 8, [1111]);
        _bank.Write(RegisterTable.InputRegisters, 8, [0x000A]);
        await using var master = Master();
        var registers = new ushort[1];

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.InputRegisters, 8, registers, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(registers[0], Is.EqualTo(0x000A));
    }

    [Test]
    public async Task Reads_the_largest_block_of_125_registers(CancellationToken ct)
    {
        var values = Enumerable.Range(1000, 125).Select(v => (ushort)v).ToArray();
        _bank.Write(RegisterTable.HoldingRegisters, 40000, values);
        await using var master = Master();
        var registers = new ushort[125];

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 40000, registers, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(registers, Is.EqualTo(values));
    }

    [Test]
    public async Task Writes_one_register_and_the_device_sees_one_register_written(CancellationToken ct)
    {
        var written = new List<(RegisterTable, ushort, int)>();
        _bank.WrittenByMaster += (table, address, count) => written.Add((table, address, count));
        await using var master = Master();

        var result = await master.WriteRegistersAsync(Unit, 1, new ushort[] { 3 }, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(Holding(1, 1), Is.EqualTo(new ushort[] { 3 }));
        Assert.That(written, Is.EqualTo(new[] { (RegisterTable.HoldingRegisters, (ushort)1, 1) }));
    }

    [Test]
    public async Task Writes_several_registers_in_one_request(CancellationToken ct)
    {
        var written = new List<(RegisterTable, ushort, int)>();
        _bank.WrittenByMaster += (table, address, count) => written.Add((table, address, count));
        await using var master = Master();

        var result = await master.WriteRegistersAsync(Unit, 1, new ushort[] { 0x000A, 0x0102, 0xFFFF }, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(Holding(1, 3), Is.EqualTo(new ushort[] { 0x000A, 0x0102, 0xFFFF }));
        Assert.That(written, Is.EqualTo(new[] { (RegisterTable.HoldingRegisters, (ushort)1, 3) }));
    }

    [Test]
    public async Task A_value_written_through_the_codec_reads_back_equal(CancellationToken ct)
    {
        await using var master = Master();
        var registers = new ushort[2];
        RegisterValueCodec.Encode(230.0, RegisterDataType.Float32, RegisterOrder.CDAB, registers);

        var write = await master.WriteRegistersAsync(Unit, 20, registers, ct);
        var readBack = new ushort[2];
        var read = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 20, readBack, ct);

        Assert.That(write.IsOk && read.IsOk, Is.True, $"{write} / {read}");
        Assert.That(RegisterValueCodec.Decode(readBack, RegisterDataType.Float32, RegisterOrder.CDAB), Is.EqualTo(230.0));
    }

    [Test]
    public async Task Reading_past_the_end_of_the_address_space_is_an_illegal_data_address_exception(CancellationToken ct)
    {
        await using var master = Master();

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 65535, new ushort[2], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception));
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(master.Counters.Exceptions, Is.EqualTo(1));
    }

    [Test]
    public async Task A_write_the_device_guards_against_returns_the_guard_exception_and_changes_nothing(CancellationToken ct)
    {
        _bank.WriteGuard = (_, address, _) => address == 100 ? ModbusExceptionCode.IllegalDataAddress : ModbusExceptionCode.None;
        await using var master = Master();

        var refused = await master.WriteRegistersAsync(Unit, 100, new ushort[] { 7 }, ct);
        var allowed = await master.WriteRegistersAsync(Unit, 101, new ushort[] { 7 }, ct);

        Assert.That(refused, Is.EqualTo(new ModbusResult(ModbusOutcome.Exception, ModbusExceptionCode.IllegalDataAddress)));
        Assert.That(allowed.IsOk, Is.True, allowed.ToString());
        Assert.That(Holding(100, 2), Is.EqualTo(new ushort[] { 0, 7 }));
    }

    [Test]
    public async Task A_unit_the_server_does_not_have_is_a_gateway_target_exception(CancellationToken ct)
    {
        await using var master = Master();

        var result = await master.ReadRegistersAsync(7, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception));
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond));
    }

    [Test]
    public async Task Concurrent_callers_on_one_master_each_get_their_own_answer(CancellationToken ct)
    {
        _bank.Write(RegisterTable.HoldingRegisters, 0, Enumerable.Range(0, 200).Select(v => (ushort)(v * 3)).ToArray());
        await using var master = Master();

        var reads = Enumerable.Range(0, 40).Select(async i =>
        {
            var registers = new ushort[2];
            var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, (ushort)(i * 2), registers, ct);
            return (result, registers, i);
        }).ToArray();
        var outcomes = await Task.WhenAll(reads);

        Assert.That(outcomes.Select(o => o.result), Has.All.EqualTo(ModbusResult.Ok));
        Assert.That(outcomes.Select(o => o.registers), Is.EqualTo(outcomes.Select(o => new[] { (ushort)(o.i * 6), (ushort)((o.i * 6) + 3) })));
        Assert.That(master.Counters, Is.EqualTo(new ModbusMasterCounters(40, 40, 0, 0, 0, 0, 0, 0)));
    }

    [Test]
    public async Task The_master_reconnects_when_the_server_comes_back_on_the_same_port(CancellationToken ct)
    {
        await using var master = Master(retries: 0);
        var registers = new ushort[1];
        var endpoint = _server.LocalEndPoint;
        var before = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, ct);

        await _server.DisposeAsync();
        var whileDown = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, ct);
        _server = new ModbusTcpServer(endpoint, unit => unit == Unit ? _bank : null);
        await _server.StartAsync(ct);
        _bank.Write(RegisterTable.HoldingRegisters, 0, [42]);
        var after = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, ct);

        Assert.That(before.IsOk, Is.True, before.ToString());
        Assert.That(whileDown.Outcome, Is.EqualTo(ModbusOutcome.TransportError), whileDown.ToString());
        Assert.That(after.IsOk, Is.True, after.ToString());
        Assert.That(registers[0], Is.EqualTo(42));
        Assert.That(master.Counters.Reconnects, Is.EqualTo(1));
    }

    [Test]
    public async Task A_restart_between_polls_is_bridged_by_the_retry(CancellationToken ct)
    {
        await using var master = Master(retries: 1);
        var registers = new ushort[1];
        var endpoint = _server.LocalEndPoint;
        await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, ct);

        await _server.DisposeAsync();
        _server = new ModbusTcpServer(endpoint, unit => unit == Unit ? _bank : null);
        await _server.StartAsync(ct);
        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(master.Counters.Reconnects, Is.EqualTo(1));
    }

    [Test]
    public async Task An_answer_that_comes_after_its_timeout_is_discarded_and_the_next_call_gets_its_own(CancellationToken ct)
    {
        using var release = new ManualResetEventSlim();
        int reads = 0;
        _bank.ReadGuard = (_, _, _) =>
        {
            // Hold the first answer back until the master has given up on it.
            if (Interlocked.Increment(ref reads) == 1)
                release.Wait(TimeSpan.FromSeconds(10));
            return ModbusExceptionCode.None;
        };
        _bank.Write(RegisterTable.HoldingRegisters, 5, [55]);
        await using var master = Master(retries: 0, responseTimeout: TimeSpan.FromMilliseconds(200));
        var registers = new ushort[1];

        var late = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, ct);
        release.Set();
        var next = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 5, registers, ct);

        Assert.That(late.Outcome, Is.EqualTo(ModbusOutcome.Timeout));
        Assert.That(next.IsOk, Is.True, next.ToString());
        Assert.That(registers[0], Is.EqualTo(55));
        Assert.That(master.Counters, Is.EqualTo(new ModbusMasterCounters(
            Requests: 2, Responses: 1, Timeouts: 1, Exceptions: 0, Malformed: 0, Discarded: 1, TransportErrors: 0, Reconnects: 0)));
    }

    [Test]
    public async Task Reading_a_table_of_bits_or_a_bad_count_is_a_programming_error()
    {
        await using var master = Master();

        Assert.That(() => master.ReadRegistersAsync(Unit, RegisterTable.Coils, 0, new ushort[1], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("Coils"));
        Assert.That(() => master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, Memory<ushort>.Empty, CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("1..125"));
        Assert.That(() => master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[126], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("found 126"));
        Assert.That(() => master.WriteRegistersAsync(Unit, 0, new ushort[124], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("1..123"));
    }

    [Test]
    public async Task A_disposed_master_refuses_further_calls()
    {
        var master = Master();
        await master.DisposeAsync();

        await Assert.ThatAsync(() => master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], CancellationToken.None).AsTask(),
            Throws.InstanceOf<ObjectDisposedException>());
    }

    private ModbusTcpMaster Master(int retries = 1, TimeSpan? responseTimeout = null) => new(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = _server.LocalEndPoint.Port,
        ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(5),
        Retries = retries,
    });

    private ushort[] Holding(ushort address, int count)
    {
        var registers = new ushort[count];
        _bank.Read(RegisterTable.HoldingRegisters, address, registers);
        return registers;
    }
}
