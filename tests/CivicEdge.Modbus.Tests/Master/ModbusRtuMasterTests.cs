using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;

namespace CivicEdge.Modbus.Tests.Master;

/// <summary>The RTU master on one end of a socat pty pair, a scripted slave on the other.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusRtuMasterTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(800);

    private SocatPtyPair _pair = null!;

    [SetUp]
    public async Task StartLine() => _pair = await SocatPtyPair.StartAsync(CancellationToken.None);

    [TearDown]
    public void StopLine() => _pair.Dispose();

    [Test]
    public async Task Reads_holding_registers_with_the_request_bytes_of_the_specification(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => [request.Answer([0x03, 0x06, 0x02, 0x2B, 0x00, 0x00, 0x00, 0x64])]);
        await using var master = Master();
        var registers = new ushort[3];

        var result = await master.ReadRegistersAsync(0x11, RegisterTable.HoldingRegisters, 0x006B, registers, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 0x022B, 0x0000, 0x0064 }));

        // Serial Line V1.02 §6.2.2 / Application Protocol §6.3: read 3 holding registers from 0x006B of slave 0x11.
        Assert.That(peer.Requests.Single().Adu, Is.EqualTo(new byte[] { 0x11, 0x03, 0x00, 0x6B, 0x00, 0x03, 0x76, 0x87 }));
    }

    [Test]
    public async Task Writes_several_registers_and_a_single_one(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => request.Pdu[0] == 0x06
            ? [request.Answer(request.Pdu)]
            : [request.Answer(request.Pdu[..5])]);
        await using var master = Master();

        var several = await master.WriteRegistersAsync(3, 0x0001, new ushort[] { 0x000A, 0x0102 }, ct);
        var single = await master.WriteRegistersAsync(3, 0x0001, new ushort[] { 0x0003 }, ct);

        Assert.That((several, single), Is.EqualTo((ModbusResult.Ok, ModbusResult.Ok)));
        Assert.That(peer.Requests[0].Pdu, Is.EqualTo(new byte[] { 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02 }));
        Assert.That(peer.Requests[1].Pdu, Is.EqualTo(new byte[] { 0x06, 0x00, 0x01, 0x00, 0x03 }));
    }

    [Test]
    public async Task A_silent_slave_times_out_and_the_next_unit_on_the_line_still_answers(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => request.UnitId == 2
            ? []
            : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(retries: 0, responseTimeout: ShortTimeout);
        var registers = new ushort[2];

        var silent = await master.ReadRegistersAsync(2, RegisterTable.HoldingRegisters, 10, registers, ct);
        var next = await master.ReadRegistersAsync(3, RegisterTable.HoldingRegisters, 20, registers, ct);

        Assert.That(silent.Outcome, Is.EqualTo(ModbusOutcome.Timeout), silent.ToString());
        Assert.That(next, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 20, 21 }));
        var counters = master.Counters;
        Assert.That((counters.Timeouts, counters.TransportErrors, counters.Reconnects), Is.EqualTo((1L, 0L, 0L)));
    }

    [Test]
    public async Task An_answer_with_a_bad_crc_is_malformed_and_counted_as_a_crc_error(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request =>
        {
            var answer = request.Answer(request.AddressesAsRegisters());
            if (request.Index == 0)
                answer[^1] ^= 0x5A;
            return [answer];
        });
        await using var master = Master(retries: 0, responseTimeout: ShortTimeout);
        var registers = new ushort[1];

        var corrupted = await master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 7, registers, ct);
        var next = await master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 7, registers, ct);

        Assert.That(corrupted.Outcome, Is.EqualTo(ModbusOutcome.Malformed), corrupted.ToString());
        Assert.That(corrupted.Detail, Does.Contain("CRC"));
        Assert.That(next, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 7 }));
        Assert.That(master.Counters.CrcErrors, Is.EqualTo(1));
    }

    [Test]
    public async Task Garbage_before_the_answer_is_skipped_and_counted(CancellationToken ct)
    {
        byte[] garbage = [0x00, 0xFF, 0x42, 0x13];
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => [garbage, request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master();
        var registers = new ushort[4];

        var result = await master.ReadRegistersAsync(5, RegisterTable.HoldingRegisters, 100, registers, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(registers, Is.EqualTo(new ushort[] { 100, 101, 102, 103 }));
        Assert.That(master.Counters.BytesSkipped, Is.EqualTo(garbage.Length));
    }

    [Test]
    public async Task An_answer_from_another_unit_is_ignored_and_counted(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request =>
            [request.Answer(request.AddressesAsRegisters(), unitId: 9), request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master();
        var registers = new ushort[1];

        var result = await master.ReadRegistersAsync(4, RegisterTable.HoldingRegisters, 1, registers, ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That(master.Counters.Discarded, Is.EqualTo(1));
    }

    [Test]
    public async Task An_exception_response_is_returned_with_its_code(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => [request.Answer([0x83, 0x02])]);
        await using var master = Master();

        var result = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 60000, new ushort[2], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.Exception));
        Assert.That(result.ExceptionCode, Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        Assert.That(master.Counters.Exceptions, Is.EqualTo(1));
    }

    [Test]
    public async Task Stray_bytes_on_the_line_between_transactions_are_thrown_away(CancellationToken ct)
    {
        byte[] stray = [0x55, 0xAA, 0x55];
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => request.Index == 0
            ? [request.Answer(request.AddressesAsRegisters()), stray]
            : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master();
        var registers = new ushort[1];

        var first = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 1, registers, ct);
        while (peer.Requests.Count == 0)
            await Task.Delay(5, ct);
        await Task.Delay(50, ct);
        var second = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 2, registers, ct);

        Assert.That((first, second), Is.EqualTo((ModbusResult.Ok, ModbusResult.Ok)));
        Assert.That(registers, Is.EqualTo(new ushort[] { 2 }));
        Assert.That(master.Counters.BytesSkipped, Is.EqualTo(stray.Length));
    }

    [Test]
    public async Task A_broadcast_write_is_sent_and_needs_no_answer(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => request.UnitId == 0 ? [] : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(responseTimeout: ShortTimeout);

        var broadcast = await master.WriteRegistersAsync(0, 0x0010, new ushort[] { 1, 2 }, ct);
        var next = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 3, new ushort[1], ct);

        Assert.That((broadcast, next), Is.EqualTo((ModbusResult.Ok, ModbusResult.Ok)));
        Assert.That(peer.Requests[0].UnitId, Is.Zero);
        var counters = master.Counters;
        Assert.That((counters.Broadcasts, counters.Timeouts, counters.Responses), Is.EqualTo((1L, 0L, 1L)));
    }

    [Test]
    public async Task A_read_from_the_broadcast_address_is_refused()
    {
        await using var master = Master();

        Assert.That(async () => await master.ReadRegistersAsync(0, RegisterTable.HoldingRegisters, 0, new ushort[1], CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("broadcast"));
    }

    [Test]
    public async Task Retries_recover_from_a_lost_answer_within_one_call(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => request.Index == 0 ? [] : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(retries: 1, responseTimeout: ShortTimeout);

        var result = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 8, new ushort[1], ct);

        Assert.That(result, Is.EqualTo(ModbusResult.Ok));
        Assert.That((master.Counters.Requests, master.Counters.Timeouts), Is.EqualTo((2L, 1L)));
    }

    [Test]
    public async Task Cancelling_a_call_throws_and_the_line_serves_the_next_call(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => request.Index == 0 ? [] : [request.Answer(request.AddressesAsRegisters())]);
        await using var master = Master(responseTimeout: TimeSpan.FromSeconds(5));

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            Assert.That(async () => await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 8, new ushort[1], cancel.Token),
                Throws.InstanceOf<OperationCanceledException>());
        }

        var next = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 9, new ushort[1], ct);
        Assert.That(next, Is.EqualTo(ModbusResult.Ok));
    }

    [Test]
    public async Task Cancelling_a_call_that_waits_out_the_turnaround_delay_ends_the_wait_at_once(CancellationToken ct)
    {
        await using var peer = ScriptedRtuPeer.OnSerial(_pair.PeerPath, request => [request.Answer(request.AddressesAsRegisters())]);
        await using var master = ModbusRtuMaster.OverSerial(
            new SerialChannelOptions { Path = _pair.DevicePath, BaudRate = 1200 },
            new ModbusRtuMasterOptions { BaudRate = 1200, TurnaroundDelay = TimeSpan.FromMinutes(10), Retries = 0 });

        // Were the wait deaf to cancellation, the test's own 20 s limit would end it first.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));
        Assert.That(async () => await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, new ushort[1], cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(master.Counters.Requests, Is.Zero);
    }

    [Test]
    public async Task A_missing_serial_device_is_a_transport_error_naming_the_path(CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"civic-no-such-tty-{Guid.NewGuid():N}");
        await using var master = ModbusRtuMaster.OverSerial(new SerialChannelOptions { Path = path }, new ModbusRtuMasterOptions { Retries = 0 });

        var result = await master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, new ushort[1], ct);

        Assert.That(result.Outcome, Is.EqualTo(ModbusOutcome.TransportError));
        Assert.That(result.Detail, Does.Contain(path).And.Contain("does not exist"));
    }

    private ModbusRtuMaster Master(int retries = 1, TimeSpan? responseTimeout = null) => ModbusRtuMaster.OverSerial(
        new SerialChannelOptions { Path = _pair.DevicePath, BaudRate = 19200 },
        new ModbusRtuMasterOptions { Retries = retries, ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(2), BroadcastDelay = TimeSpan.FromMilliseconds(20) });
}
