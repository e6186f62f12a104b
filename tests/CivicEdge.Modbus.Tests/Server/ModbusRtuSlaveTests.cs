using System.Diagnostics;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>The RTU slave on one end of a socat pty pair, a scripted master writing raw frames on the other.</summary>
[Category("Integration")]
[CancelAfter(20_000)]
public sealed class ModbusRtuSlaveTests
{
    private readonly RegisterBank _unit1 = new();
    private readonly RegisterBank _unit2 = new();
    private SocatPtyPair _pty = null!;
    private ModbusRtuSlave _slave = null!;
    private RawRtuMaster _master = null!;

    [SetUp]
    public async Task StartSlave()
    {
        _unit1.Write(RegisterTable.HoldingRegisters, 0, [0x0101, 0x0102, 0x0103]);
        _unit2.Write(RegisterTable.HoldingRegisters, 0, [0x0201, 0x0202, 0x0203]);
        _pty = await SocatPtyPair.StartAsync(CancellationToken.None);
        await StartSlaveAsync(115200);
    }

    [TearDown]
    public async Task StopSlave()
    {
        _master.Dispose();
        await _slave.DisposeAsync();
        _pty.Dispose();
    }

    [Test]
    public async Task Each_unit_on_the_bus_answers_from_its_own_bank()
    {
        await _master.SendAsync(RawRtuMaster.Frame(2, "03 00 01 00 02"));
        var answer = await _master.ReceiveAsync(9);

        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(2, "03 04 0202 0203")));
    }

    [Test]
    public async Task A_frame_for_another_unit_gets_no_answer()
    {
        await _master.SendAsync(RawRtuMaster.Frame(9, "03 00 00 00 01"), RawRtuMaster.Frame(1, "03 00 00 00 01"));
        var answer = await _master.ReceiveAsync(7);

        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")), "the first bytes on the line are unit 1's answer");
        Assert.That(_slave.Counters.ForOtherUnits, Is.EqualTo(1));
    }

    [Test]
    public async Task A_frame_with_a_wrong_crc_is_ignored_and_counted()
    {
        await _master.SendAsync(RawRtuMaster.Frame(1, "06 00 00 AB CD", spoilCrc: true), RawRtuMaster.Frame(1, "03 00 00 00 01"));
        var answer = await _master.ReceiveAsync(7);

        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")), "the write was neither answered nor applied");
        Assert.That(_slave.Counters.CrcErrors, Is.EqualTo(1));
    }

    [Test]
    public async Task A_broadcast_write_is_applied_to_every_unit_without_an_answer()
    {
        await _master.SendAsync(RawRtuMaster.Frame(0, "10 00 00 00 02 04 AAAA BBBB"), RawRtuMaster.Frame(1, "03 00 00 00 02"));
        var first = await _master.ReceiveAsync(9);
        await _master.SendAsync(RawRtuMaster.Frame(2, "03 00 00 00 02"));
        var second = await _master.ReceiveAsync(9);

        Assert.That(first, Is.EqualTo(RawRtuMaster.Frame(1, "03 04 AAAA BBBB")));
        Assert.That(second, Is.EqualTo(RawRtuMaster.Frame(2, "03 04 AAAA BBBB")));
        Assert.That(_slave.Counters.Broadcasts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_sound_frame_with_an_unknown_function_is_refused_with_illegal_function()
    {
        await _master.SendAsync(RawRtuMaster.Frame(1, "41 00 00"));
        var answer = await _master.ReceiveAsync(5);

        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(1, "C1 01")));
    }

    [Test]
    public async Task Garbage_before_a_request_is_skipped_and_counted()
    {
        await _master.SendAsync([0xFF, 0xFE, 0x00], RawRtuMaster.Frame(1, "03 00 02 00 01"));
        var answer = await _master.ReceiveAsync(7);

        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0103")));
        Assert.That(_slave.Counters.SkippedBytes, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public async Task A_request_written_in_pieces_is_answered_once_whole_and_the_next_one_from_its_own_bytes()
    {
        var request = RawRtuMaster.Frame(2, "03 00 00 00 03");

        // The pause between the pieces is shorter than the slave's patience with an incomplete frame.
        await _master.SendAsync(request[..3]);
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        await _master.SendAsync(request[3..]);
        var answer = await _master.ReceiveAsync(11);
        await _master.SendAsync(RawRtuMaster.Frame(1, "03 00 02 00 01"));
        var next = await _master.ReceiveAsync(7);

        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(2, "03 06 0201 0202 0203")));
        Assert.That(next, Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0103")));
    }

    [Test]
    public async Task Each_of_many_requests_in_a_row_is_answered_from_its_own_bytes()
    {
        _unit1.Write(RegisterTable.HoldingRegisters, 100, Enumerable.Range(0, 100).Select(i => (ushort)(1000 + i)).ToArray());

        for (int i = 0; i < 100; i++)
        {
            await _master.SendAsync(RawRtuMaster.Frame(1, $"03 00 {100 + i:X2} 00 01"));
            var answer = await _master.ReceiveAsync(7);

            Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(1, $"03 02 {1000 + i:X4}")), $"request {i}");
        }
    }

    [Test]
    public async Task An_answer_is_paced_at_the_baud_rate_so_it_takes_its_wire_time()
    {
        await RestartSlaveAsync(2400);
        _unit1.Write(RegisterTable.InputRegisters, 0, Enumerable.Range(0, 10).Select(i => (ushort)i).ToArray());

        await _master.SendAsync(RawRtuMaster.Frame(1, "04 00 00 00 0A"));
        var (answer, arrivals) = await _master.ReceiveTimedAsync(25);

        // 25 bytes of 10 bits at 2400 baud take 104 ms on a wire; unpaced, a pty hands them over in one piece at once.
        var spread = Stopwatch.GetElapsedTime(arrivals[0].At, arrivals[^1].At);
        var wireTimeOfTheRest = ModbusSilentInterval.For(2400, Protocols.Modbus.SerialParity.None).WireTime(24 - arrivals[0].Received);
        Assert.That(answer[..3], Is.EqualTo(new byte[] { 0x01, 0x04, 20 }));
        Assert.That(arrivals, Has.Count.GreaterThan(1), "the answer arrived in one piece");
        Assert.That(spread, Is.GreaterThanOrEqualTo(wireTimeOfTheRest / 2), "the bytes came faster than the wire carries them");
    }

    [Test]
    public async Task An_answer_starts_no_sooner_than_t35_after_the_wire_would_have_carried_the_whole_request()
    {
        await RestartSlaveAsync(2400);
        var request = RawRtuMaster.Frame(1, "03 00 00 00 01");

        // A pty delivers the request at once; on a wire its 8 characters take 33 ms, and t3.5 follows (§2.5.1.1).
        long written = Stopwatch.GetTimestamp();
        await _master.SendAsync(request);
        var (answer, arrivals) = await _master.ReceiveTimedAsync(7);

        var line = ModbusSilentInterval.For(2400, Protocols.Modbus.SerialParity.None);
        var firstAnswerByteAt = Stopwatch.GetElapsedTime(written, arrivals[0].At);
        Assert.That(answer, Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")));
        Assert.That(firstAnswerByteAt, Is.GreaterThanOrEqualTo(line.WireTime(request.Length) + line.T35),
            "the answer began before a wire could have carried the request and the silence behind it");
    }

    [Test]
    public async Task A_crc_error_fault_spoils_the_answers_crc()
    {
        _slave.Faults.Add(new ModbusFaultRule { Kind = ModbusFaultKind.CrcError, Count = 1 });

        await _master.SendAsync(RawRtuMaster.Frame(1, "03 00 00 00 01"));
        var answer = await _master.ReceiveAsync(7);

        Assert.That(answer[..5], Is.EqualTo(RawRtuMaster.Frame(1, "03 02 0101")[..5]));
        Assert.That(ModbusCrc16.Matches(answer), Is.False);
    }

    [Test]
    public async Task Disposing_the_slave_after_it_answered_stops_it_while_the_master_keeps_the_line_open()
    {
        await _master.SendAsync(RawRtuMaster.Frame(1, "03 00 00 00 01"));
        await _master.ReceiveAsync(7);

        // The slave is now waiting in a read of a line whose other end is still open; disposing must end that read.
        var disposal = _slave.DisposeAsync().AsTask();
        var finished = await Task.WhenAny(disposal, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.That(finished, Is.SameAs(disposal), "the slave did not stop while the master still held the line open");
        await disposal;
    }

    private async Task RestartSlaveAsync(int baudRate)
    {
        _master.Dispose();
        await _slave.DisposeAsync();
        await StartSlaveAsync(baudRate);
    }

    private async Task StartSlaveAsync(int baudRate)
    {
        var line = new SerialChannelOptions { Path = _pty.DevicePath, BaudRate = baudRate, Parity = Transports.SerialParity.None };
        _slave = new ModbusRtuSlave(line, new Dictionary<byte, RegisterBank> { [1] = _unit1, [2] = _unit2 });
        await _slave.StartAsync(CancellationToken.None);
        _master = await RawRtuMaster.OpenAsync(_pty.PeerPath);
    }
}
