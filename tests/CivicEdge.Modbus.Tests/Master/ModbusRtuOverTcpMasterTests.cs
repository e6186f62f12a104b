using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Tests.Master;

/// <summary>The RTU master speaking RTU frames over TCP, as to a serial-to-Ethernet converter, against a scripted peer.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusRtuOverTcpMasterTests
{
    [Test]
    public async Task Reads_registers_in_rtu_frames_over_a_tcp_connection(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnTcp(request => [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(peer);
        var registers = new ushort[3];

        var result = await master.ReadRegistersAsync(0x11, RegisterTable.HoldingRegisters, 0x006B, registers, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x6B, 0x6C, 0x6D }));
        Assert.That(peer.Requests.Single().Adu, Is.EqualTo(new byte[] { 0x11, 0x03, 0x00, 0x6B, 0x00, 0x03, 0x76, 0x87 }));
    }

    [Test]
    public async Task A_silent_unit_behind_the_converter_keeps_the_connection_for_the_next_unit(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnTcp(request => request.UnitId == 2 ? [] : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(peer, TimeSpan.FromMilliseconds(800));
        var registers = new ushort[1];

        var silent = await master.ReadRegistersAsync(2, RegisterTable.InputRegisters, 1, registers, ct);
        var next = await master.ReadRegistersAsync(3, RegisterTable.InputRegisters, 5, registers, ct);

        Assert.That(silent.Outcome, Is.EqualTo(ModbusOutcome.Timeout));
        Assert.That(next, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 5 }));
        Assert.That(master.Counters.Reconnects, Is.Zero);
    }

    [Test]
    public async Task An_answer_split_across_tcp_segments_is_put_together(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnTcp(request =>
        {
            var answer = request.Answer(request.AddressesAsRegisters());
            return [answer[..3], answer[3..]];
        });
        await using var master = Master(peer);
        var registers = new ushort[2];

        var result = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 40, registers, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 40, 41 }));
    }

    private static ModbusRtuMaster Master(ScriptedRtuPeer peer, TimeSpan? responseTimeout = null) => ModbusRtuMaster.OverTcp(
        "127.0.0.1", peer.Port, new ModbusRtuMasterOptions { Retries = 0, ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(2), BaudRate = 115200 });
}
