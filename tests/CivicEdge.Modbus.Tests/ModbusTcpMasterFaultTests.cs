using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests;

/// <summary>The master against peers that misbehave the way field devices and gateways do.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusTcpMasterFaultTests
{
    private const byte Unit = 1;

    [Test]
    public async Task A_server_that_never_answers_gives_a_timeout_after_every_retry(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Silent();
        await using var master = Master(peer, retries: 1, responseTimeout: TimeSpan.FromMilliseconds(200));

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Timeout));
        Assert.That(result.Detail, Does.Contain("within 200 ms"));
        Assert.That(master.Counters.Requests, Is.EqualTo(2));
        Assert.That(master.Counters.Timeouts, Is.EqualTo(2));
        Assert.That(master.Counters.Reconnects, Is.Zero);
    }

    [Test]
    public async Task Nothing_listening_is_a_transport_error(CancellationToken ct)
    {
        int port;
        await using (var gone = ScriptedModbusPeer.Silent())
            port = gone.Port;
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port, Retries = 1 });

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.TransportError));
        Assert.That(result.Detail, Does.Contain($"127.0.0.1:{port}"));
        Assert.That(master.Counters.TransportErrors, Is.EqualTo(2));
        Assert.That(master.Counters.Requests, Is.Zero);
    }

    [Test]
    public async Task An_answer_to_another_transaction_is_discarded_while_the_master_keeps_waiting(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request =>
        [
            request.Answer(request.AddressesAsRegisters(), transactionId: (ushort)(request.TransactionId + 1000)),
            request.Answer(request.AddressesAsRegisters()),
        ]);
        await using var master = Master(peer);
        var registers = new ushort[2];

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 300, registers, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(registers, Is.EqualTo(new ushort[] { 300, 301 }));
        Assert.That(master.Counters.Discarded, Is.EqualTo(1));
        Assert.That(master.Counters.Responses, Is.EqualTo(1));
    }

    [Test]
    public async Task An_answer_from_another_unit_is_discarded_while_the_master_keeps_waiting(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request =>
        [
            request.Answer(request.AddressesAsRegisters(), unitId: (byte)(request.UnitId + 1)),
            request.Answer(request.AddressesAsRegisters()),
        ]);
        await using var master = Master(peer);

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.InputRegisters, 9, new ushort[1], ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(master.Counters.Discarded, Is.EqualTo(1));
    }

    [Test]
    public async Task Only_answers_to_other_transactions_end_in_a_timeout(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request =>
            [request.Answer(request.AddressesAsRegisters(), transactionId: (ushort)(request.TransactionId + 1))]);
        await using var master = Master(peer, retries: 0, responseTimeout: TimeSpan.FromMilliseconds(200));

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Timeout));
        Assert.That(master.Counters.Discarded, Is.EqualTo(1));
    }

    [Test]
    public async Task An_answer_trickling_in_one_byte_at_a_time_is_put_together(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request =>
            request.Answer(request.AddressesAsRegisters()).Select(b => new[] { b }).ToArray());
        await using var master = Master(peer);
        var registers = new ushort[3];

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0x0100, registers, ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x0100, 0x0101, 0x0102 }));
    }

    [Test]
    public async Task A_broken_mbap_header_is_malformed_and_the_next_call_starts_a_new_connection(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request => request.Connection == 0
            ? [request.Answer(request.AddressesAsRegisters(), protocolId: 0x1234)]
            : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(peer, retries: 0);

        var broken = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);
        var next = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(broken.Outcome, Is.EqualTo(ModbusOutcome.Malformed));
        Assert.That(broken.Detail, Does.Contain("expected protocol identifier 0, found 4660"));
        Assert.That(next.IsOk, Is.True, next.ToString());
        Assert.That(master.Counters.Malformed, Is.EqualTo(1));
        Assert.That(master.Counters.Reconnects, Is.EqualTo(1));
        Assert.That(peer.Connections, Is.EqualTo(2));
    }

    [Test]
    public async Task A_retry_recovers_from_a_broken_header_within_the_same_call(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request => request.Index == 0
            ? [[0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x00, 0x00]]
            : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(peer, retries: 1);

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.IsOk, Is.True, result.ToString());
        Assert.That(master.Counters.Malformed, Is.EqualTo(1));
    }

    [Test]
    public async Task An_answer_that_does_not_fit_the_request_is_malformed_but_keeps_the_connection(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request => request.Index == 0
            ? [request.Answer([0x03, 0x02, 0x00, 0x01])]
            : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(peer, retries: 0);

        var wrong = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[3], ct);
        var next = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[3], ct);

        Assert.That(wrong.Outcome, Is.EqualTo(ModbusOutcome.Malformed));
        Assert.That(wrong.Detail, Does.Contain("expected a byte count of 6 for 3 registers, found 2"));
        Assert.That(next.IsOk, Is.True, next.ToString());
        Assert.That(peer.Connections, Is.EqualTo(1));
    }

    [Test]
    public async Task A_pdu_longer_than_its_function_needs_is_malformed(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(request => [request.Answer([0x06, 0x00, 0x01, 0x00, 0x03, 0xFF])]);
        await using var master = Master(peer, retries: 0);

        var result = await master.WriteRegistersAsync(Unit, 1, new ushort[] { 3 }, ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Malformed));
        Assert.That(result.Detail, Does.Contain("expected a PDU of 5 bytes, found 6"));
    }

    [Test]
    public async Task A_server_closing_the_connection_mid_transaction_is_a_transport_error(CancellationToken ct)
    {
        await using var peer = ScriptedModbusPeer.Start(_ => throw new IOException("hang up"));
        await using var master = Master(peer, retries: 0);

        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.TransportError));
        Assert.That(master.Counters.TransportErrors, Is.EqualTo(1));
    }

    [Test]
    public async Task Cancelling_a_call_throws_instead_of_returning_a_result()
    {
        await using var peer = ScriptedModbusPeer.Silent();
        await using var master = Master(peer, responseTimeout: TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThatAsync(
            () => master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, new ushort[1], cancel.Token).AsTask(),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(master.Counters.Timeouts, Is.Zero);
    }

    private static ModbusTcpMaster Master(ScriptedModbusPeer peer, int retries = 1, TimeSpan? responseTimeout = null) => new(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = peer.Port,
        ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(5),
        Retries = retries,
    });
}
