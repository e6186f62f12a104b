using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Modbus;

/// <summary>
/// Serves the units of one RTU line (a serial bus, or one TCP connection carrying RTU frames): frames requests off
/// the byte stream, answers those for its units, applies broadcasts, stays silent for the rest, and injects faults.
/// </summary>
/// <remarks>
/// RTU frames are found by length, from the function code (Modbus Application Protocol V1.1b3 §6), and checked by
/// CRC. What cannot be framed by length is delimited as the wire does, by silence (MODBUS over Serial Line V1.02
/// §2.5.1.1): bytes followed by a silence are taken as one frame, so that a sound frame with an unknown function code
/// still gets exception 01 and a truncated one is dropped and counted. A request that arrives whole and is answered
/// allocates nothing.
/// </remarks>
internal sealed partial class ModbusRtuSlaveSession : IDisposable
{
    // Longer than t3.5 at any baud rate down to 1200 (32 ms at 11 bits per character) and than the scheduling jitter
    // of a pty, so that a frame written in pieces is not cut; short enough that a truncated frame is soon dropped.
    private static readonly TimeSpan IncompleteFrameTimeout = TimeSpan.FromMilliseconds(100);

    // Waits shorter than this are spun: timers on Linux fire about a millisecond late, which would stretch every paced
    // character at 115200 baud (87 µs) beyond recognition.
    private static readonly TimeSpan SpinBelow = TimeSpan.FromMilliseconds(2);

    private readonly string _name;
    private readonly Func<Memory<byte>, CancellationToken, ValueTask<int>> _receive;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _send;
    private readonly IReadOnlyDictionary<byte, RegisterBank> _units;
    private readonly FaultPlan _faults;
    private readonly ModbusSlaveCounters _counters;
    private readonly ModbusSilentInterval? _pacing;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ModbusRequestExecutor _executor;
    private readonly LineTimer _lineTimer;

    // Twice the largest ADU: a frame that arrives behind a partial one still fits until framing sorts them out.
    private readonly byte[] _received = new byte[2 * ModbusRtuFramer.MaxAduLength];
    private readonly byte[] _answer = new byte[ModbusPdu.MaxLength + ModbusRtuFramer.MaxAduLength];
    private int _receivedCount;
    private long _lastByteAt;

    public ModbusRtuSlaveSession(
        string name,
        Func<Memory<byte>, CancellationToken, ValueTask<int>> receive,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> send,
        IReadOnlyDictionary<byte, RegisterBank> units,
        FaultPlan faults,
        ModbusSlaveCounters counters,
        ModbusSilentInterval? pacing,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _name = name;
        _receive = receive;
        _send = send;
        _units = units;
        _faults = faults;
        _counters = counters;
        _pacing = pacing;
        _timeProvider = timeProvider;
        _logger = logger;
        _executor = new ModbusRequestExecutor(logger, name);
        _lineTimer = new LineTimer(timeProvider);
    }

    /// <summary>Serves until the line closes (returns) or fails (<see cref="IOException"/>), or until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        // A reader of its own timestamps every chunk as it arrives, so that silences are measured on arrival and not
        // when the answering loop gets round to them. Chunks travel in pooled arrays, returned once appended.
        var chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var reader = ReadAsync(chunks.Writer, readerStop.Token);
        try
        {
            while (true)
            {
                Chunk chunk;
                if (_receivedCount == 0)
                {
                    // Without a token the channel waits on one reusable waiter; stopping ends the reader, and the reader
                    // completes the channel.
                    while (!chunks.Reader.TryRead(out chunk))
                    {
                        if (!await chunks.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                        {
                            stopping.ThrowIfCancellationRequested();
                            return;
                        }
                    }
                }
                else
                {
                    using var silence = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    silence.CancelAfter(IncompleteFrameTimeout);
                    try
                    {
                        while (!chunks.Reader.TryRead(out chunk))
                        {
                            if (!await chunks.Reader.WaitToReadAsync(silence.Token).ConfigureAwait(false))
                            {
                                stopping.ThrowIfCancellationRequested();
                                return;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        await TakeAllAsOneFrameAsync(stopping).ConfigureAwait(false);
                        continue;
                    }
                }

                bool startsFrame = _receivedCount == 0;
                Append(chunk.Bytes.AsSpan(0, chunk.Length));
                ArrayPool<byte>.Shared.Return(chunk.Bytes);
                _lastByteAt = WireEnd(chunk.ArrivedAt, chunk.Length, startsFrame);
                await AnswerBufferedAsync(stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            await readerStop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }
    }

    public void Dispose() => _lineTimer.Dispose();

    /// <summary>
    /// When the last byte of a chunk would have left a wire. A pty hands over at once what a master wrote in one
    /// piece, but on a wire those bytes take their character times (§2.5.1.1), so the t3.5 before the answer counts from
    /// the end of that wire time and the answer never comes sooner than a real line allows. A chunk that continues a
    /// frame ends no sooner than its characters after the one before it.
    /// </summary>
    private long WireEnd(long arrivedAt, int length, bool startsFrame)
    {
        if (_pacing is not { } line)
            return arrivedAt;
        long wireTicks = (long)(line.WireTime(length).TotalSeconds * _timeProvider.TimestampFrequency);
        return startsFrame ? arrivedAt + wireTicks : Math.Max(arrivedAt, _lastByteAt + wireTicks);
    }

    private async Task ReadAsync(ChannelWriter<Chunk> chunks, CancellationToken stopping)
    {
        // Off the caller's thread at once: a serial read may block its thread until bytes come.
        await Task.Yield();
        var buffer = new byte[ModbusRtuFramer.MaxAduLength];
        try
        {
            while (true)
            {
                int received = await _receive(buffer, stopping).ConfigureAwait(false);
                if (received == 0)
                {
                    chunks.TryComplete();
                    return;
                }

                long arrivedAt = _timeProvider.GetTimestamp();
                var bytes = ArrayPool<byte>.Shared.Rent(received);
                buffer.AsSpan(0, received).CopyTo(bytes);
                chunks.TryWrite(new Chunk(bytes, received, arrivedAt));
            }
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            chunks.TryComplete();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            chunks.TryComplete(e as IOException ?? new IOException($"{_name} closed under a read.", e));
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_receivedCount + bytes.Length > _received.Length)
        {
            // More than two frames' worth that framing could not sort out: noise. Keep the newest bytes.
            int drop = _receivedCount + bytes.Length - _received.Length;
            int kept = Math.Max(0, _receivedCount - drop);
            _counters.CountSkipped(_receivedCount - kept);
            LogSkipped(_logger, _name, _receivedCount - kept, "receive buffer full");
            _received.AsSpan(_receivedCount - kept, kept).CopyTo(_received);
            _receivedCount = kept;
            bytes = bytes[Math.Max(0, bytes.Length - _received.Length)..];
        }

        bytes.CopyTo(_received.AsSpan(_receivedCount));
        _receivedCount += bytes.Length;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AnswerBufferedAsync(CancellationToken stopping)
    {
        while (_receivedCount > 0)
        {
            var frame = ModbusRtuFramer.FrameRequest(_received.AsSpan(0, _receivedCount));
            switch (frame.Status)
            {
                case ModbusDecodeStatus.NeedMoreData:
                    return;

                case ModbusDecodeStatus.Complete:
                    await AnswerAsync(frame.UnitId, frame.Length, stopping).ConfigureAwait(false);
                    break;

                case ModbusDecodeStatus.Malformed when frame.Error == ModbusRtuFrameError.CrcMismatch:
                    // §2.5.1.2: a frame with a wrong CRC is discarded without an answer. The bytes may also have been
                    // a misframing of garbage followed by a sound frame; resynchronising keeps that frame.
                    _counters.CountCrcError();
                    LogCrcError(_logger, _name, frame.Reason!, Hex(_received.AsSpan(0, Math.Min(_receivedCount, frame.Offset + ModbusCrc16.Size))));
                    var afterBadCrc = ModbusRtuFramer.ResynchroniseRequest(_received.AsSpan(0, _receivedCount));
                    Consume(afterBadCrc.Found ? afterBadCrc.Skipped : Math.Min(_receivedCount, frame.Offset + ModbusCrc16.Size));
                    break;

                default:
                    // Not a function this framer can measure, or an impossible length: whatever lies before the next
                    // sound frame is one unit of its own, delimited by that frame as a silence would delimit it.
                    var resync = ModbusRtuFramer.ResynchroniseRequest(_received.AsSpan(0, _receivedCount));
                    if (!resync.Found)
                        return;
                    await TakeAsOneFrameAsync(resync.Skipped, stopping).ConfigureAwait(false);
                    break;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask TakeAllAsOneFrameAsync(CancellationToken stopping)
    {
        await TakeAsOneFrameAsync(_receivedCount, stopping).ConfigureAwait(false);
        await AnswerBufferedAsync(stopping).ConfigureAwait(false);
    }

    /// <summary>The first <paramref name="length"/> bytes were followed by a silence or by a sound frame: one frame, or garbage.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask TakeAsOneFrameAsync(int length, CancellationToken stopping)
    {
        var frame = ModbusRtuFramer.FrameAtSilence(_received.AsSpan(0, length));
        if (frame.Status == ModbusDecodeStatus.Complete)
        {
            await AnswerAsync(frame.UnitId, length, stopping).ConfigureAwait(false);
            return;
        }

        _counters.CountSkipped(length);
        LogSkipped(_logger, _name, length, $"{frame.Reason}; bytes {Hex(_received.AsSpan(0, length))}");
        Consume(length);
    }

    /// <summary>Answers the sound frame of <paramref name="length"/> bytes at the front of the buffer, then consumes it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AnswerAsync(byte unitId, int length, CancellationToken stopping)
    {
        var pdu = _received.AsSpan(ModbusRtuFramer.PduOffset, length - ModbusRtuFramer.Overhead);
        if (unitId == ModbusRtuFramer.BroadcastUnitId)
        {
            ApplyBroadcast(pdu);
            Consume(length);
            return;
        }

        if (!_units.TryGetValue(unitId, out var bank))
        {
            // Another slave's business on a shared bus (§2.2): not a word.
            _counters.CountForOtherUnit();
            Consume(length);
            return;
        }

        _counters.CountRequest();
        var fault = _faults.Draw(unitId);
        if (fault is not null)
            LogFault(_logger, _name, unitId, fault);

        int garbage = fault?.Kind == ModbusFaultKind.Garbage ? fault.GarbageLength : 0;
        var adu = _answer.AsSpan(garbage);
        int pduLength;
        switch (fault?.Kind)
        {
            case ModbusFaultKind.NoAnswer:
                Consume(length);
                return;
            case ModbusFaultKind.Exception:
                pduLength = ModbusResponsePdu.EncodeException(adu[ModbusRtuFramer.PduOffset..], (ModbusFunctionCode)pdu[0], fault.ExceptionCode);
                break;
            default:
                pduLength = _executor.Answer(bank, unitId, pdu, adu[ModbusRtuFramer.PduOffset..]);
                break;
        }

        Consume(length);
        byte answeringUnit = fault?.Kind == ModbusFaultKind.WrongUnit ? (byte)(unitId + 1) : unitId;
        int aduLength = ModbusRtuFramer.WriteAddressAndCrc(adu, answeringUnit, pduLength);
        if (fault?.Kind == ModbusFaultKind.CrcError)
            adu[aduLength - 1] ^= 0xFF;
        if (garbage > 0)
            _faults.FillGarbage(_answer.AsSpan(0, garbage));

        var answer = _answer.AsMemory(0, garbage + aduLength);
        if (fault?.Kind == ModbusFaultKind.LateAnswer)
            await WaitAsync(fault.Delay, stopping).ConfigureAwait(false);
        await SendFrameAsync(answer, stopping).ConfigureAwait(false);
        if (fault?.Kind == ModbusFaultKind.SecondAnswer)
            await SendFrameAsync(answer, stopping).ConfigureAwait(false);
    }

    private void ApplyBroadcast(ReadOnlySpan<byte> pdu)
    {
        _counters.CountBroadcast();

        // §2.2 and Application Protocol §4.1: only writes make sense to every slave at once; nobody answers either way.
        var function = (ModbusFunctionCode)pdu[0];
        if (function is not (ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteSingleRegister
            or ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters))
        {
            LogBroadcastIgnored(_logger, _name, (byte)function);
            return;
        }

        Span<byte> discarded = stackalloc byte[ModbusPdu.MaxLength];
        foreach (var (unitId, bank) in _units)
            _executor.Answer(bank, unitId, pdu, discarded);
    }

    /// <summary>Sends a frame after the t3.5 silence that ends the one before it, paced at the line's baud rate.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken stopping)
    {
        if (_pacing is not { } line)
        {
            await _send(frame, stopping).ConfigureAwait(false);
            return;
        }

        // §2.5.1.1: a frame starts only after a silence of at least t3.5 since the last character on the line.
        var quiet = line.T35 - _timeProvider.GetElapsedTime(_lastByteAt);
        if (quiet > TimeSpan.Zero)
            await WaitAsync(quiet, stopping).ConfigureAwait(false);

        // Each byte is handed over once a wire would have carried it completely, so that the last one arrives no
        // sooner than the frame's wire time after the first bit.
        long start = _timeProvider.GetTimestamp();
        int sent = 0;
        while (sent < frame.Length)
        {
            var elapsed = _timeProvider.GetElapsedTime(start);
            int carried = Math.Min(frame.Length, (int)((elapsed.TotalSeconds / line.CharacterSeconds) + 1e-9));
            if (carried > sent)
            {
                await _send(frame[sent..carried], stopping).ConfigureAwait(false);
                sent = carried;
            }
            else
            {
                await WaitAsync(line.WireTime(sent + 1) - elapsed, stopping).ConfigureAwait(false);
            }
        }

        _lastByteAt = _timeProvider.GetTimestamp();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitAsync(TimeSpan delay, CancellationToken stopping)
    {
        if (delay <= TimeSpan.Zero)
            return;
        if (_timeProvider != TimeProvider.System)
        {
            await _lineTimer.WaitAsync(delay, stopping).ConfigureAwait(false);
            return;
        }

        long start = _timeProvider.GetTimestamp();
        if (delay > SpinBelow)
            await _lineTimer.WaitAsync(delay - SpinBelow, stopping).ConfigureAwait(false);
        var spinner = default(SpinWait);
        while (_timeProvider.GetElapsedTime(start) < delay)
        {
            stopping.ThrowIfCancellationRequested();
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void Consume(int length)
    {
        _received.AsSpan(length, _receivedCount - length).CopyTo(_received);
        _receivedCount -= length;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Bytes as one read returned them, in an array rented from the shared pool, and when they arrived.</summary>
    private readonly record struct Chunk(byte[] Bytes, int Length, long ArrivedAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Line}: frame with a wrong CRC ignored: {Reason}. Bytes: {FrameHex}")]
    private static partial void LogCrcError(ILogger logger, string line, string reason, string frameHex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Line}: skipped {Count} bytes: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string line, int count, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Line}: broadcast of function {FunctionCode} ignored: only writes are broadcast")]
    private static partial void LogBroadcastIgnored(ILogger logger, string line, byte functionCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}: injecting {Fault} into the answer of unit {UnitId}")]
    private static partial void LogFault(ILogger logger, string line, byte unitId, ModbusFaultRule fault);
}
