using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests.Master;

/// <summary>Several requests in flight on one connection, against a scripted peer that answers out of order.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusTcpMasterPipeliningTests
{
    private const byte Unit = 1;

    [Test]
    public async Task Concurrent_reads_answered_in_reverse_order_each_get_their_own_registers(CancellationToken ct)
    {
        const int Reads = 4;
        var held = new List<PeerRequest>();
        await using var peer = ScriptedModbusPeer.Start(request =>
        {
            // Hold the answers until all four requests are on the wire, then answer the last first.
            held.Add(request);
            if (held.Count < Reads)
                return [];
            var answers = held.AsEnumerable().Reverse().Select(r => r.Answer(r.AddressesAsRegisters())).ToArray();
            held.Clear();
            return answers;
        });
        await using var master = Master(peer, maxInFlight: Reads);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Reads).Select(async i =>
        {
            var registers = new ushort[2];
            var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, (ushort)(100 * i), registers, ct);
            return (result, registers, i);
        }));

        Assert.That(outcomes.Select(o => o.result), Has.All.EqualTo(ModbusResult.Ok));
        Assert.That(outcomes.Select(o => o.registers), Is.EqualTo(outcomes.Select(o => new[] { (ushort)(100 * o.i), (ushort)((100 * o.i) + 1) })));
        Assert.That(peer.Connections, Is.EqualTo(1));
        Assert.That(master.Counters, Is.EqualTo(new ModbusMasterCounters(Reads, Reads, 0, 0, 0, 0, 0, 0)));
    }

    [Test]
    public async Task No_more_requests_than_allowed_are_on_the_wire_at_once(CancellationToken ct)
    {
        int outstanding = 0;
        int mostOutstanding = 0;
        var held = new List<PeerRequest>();
        await using var peer = ScriptedModbusPeer.Start(request =>
        {
            // Answer only once two requests wait: a master allowing one in flight would never get an answer.
            held.Add(request);
            outstanding = held.Count;
            mostOutstanding = Math.Max(mostOutstanding, outstanding);
            if (held.Count < 2)
                return [];
            var answers = held.Select(r => r.Answer(r.AddressesAsRegisters())).ToArray();
            held.Clear();
            return answers;
        });
        await using var master = Master(peer, maxInFlight: 2);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            master.ReadRegistersAsync(Unit, RegisterTable.InputRegisters, (ushort)i, new ushort[1], ct).AsTask()));

        Assert.That(results, Has.All.EqualTo(ModbusResult.Ok));
        Assert.That(mostOutstanding, Is.EqualTo(2));
    }

    [Test]
    public async Task A_request_that_times_out_leaves_the_others_in_flight_answered(CancellationToken ct)
    {
        var held = new List<PeerRequest>();
        await using var peer = ScriptedModbusPeer.Start(request =>
        {
            // Of three requests, the one for address 1 is never answered; the other two are, in reverse order.
            held.Add(request);
            if (held.Count < 3)
                return [];
            return [.. held.Where(r => r.Pdu[2] != 1).Reverse().Select(r => r.Answer(r.AddressesAsRegisters()))];
        });
        await using var master = Master(peer, maxInFlight: 3, responseTimeout: TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, (ushort)i, new ushort[1], ct).AsTask()));

        Assert.That(results.Select(r => r.Outcome), Is.EqualTo(new[] { ModbusOutcome.Ok, ModbusOutcome.Timeout, ModbusOutcome.Ok }));
        Assert.That(peer.Connections, Is.EqualTo(1));
        Assert.That(master.Counters.Timeouts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_connection_broken_with_requests_in_flight_fails_them_all_and_the_next_call_reconnects(CancellationToken ct)
    {
        var held = new List<PeerRequest>();
        await using var peer = ScriptedModbusPeer.Start(request =>
        {
            if (request.Connection > 0)
                return [request.Answer(request.AddressesAsRegisters())];
            held.Add(request);
            if (held.Count < 3)
                return [];
            throw new IOException("hang up with three requests unanswered");
        });
        await using var master = Master(peer, maxInFlight: 3);

        var broken = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, (ushort)i, new ushort[1], ct).AsTask()));
        var registers = new ushort[1];
        var next = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 7, registers, ct);

        Assert.That(broken.Select(r => r.Outcome), Has.All.EqualTo(ModbusOutcome.TransportError));
        Assert.That(next, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 7 }));
        Assert.That((master.Counters.TransportErrors, master.Counters.Reconnects), Is.EqualTo((3L, 1L)));
    }

    [Test]
    [Category("Unit")]
    public void A_max_in_flight_outside_1_to_256_is_refused_naming_the_option()
    {
        var options = new ModbusTcpMasterOptions { Host = "127.0.0.1", MaxInFlight = 0 };

        Assert.That(() => new ModbusTcpMaster(options), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxInFlight"));
        Assert.That(new ModbusTcpMasterOptions().MaxInFlight, Is.EqualTo(8));
    }

    private static ModbusTcpMaster Master(ScriptedModbusPeer peer, int maxInFlight, TimeSpan? responseTimeout = null) => new(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = peer.Port,
        ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(5),
        Retries = 0,
        MaxInFlight = maxInFlight,
    });
}
