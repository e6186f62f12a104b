using CivicEdge.Firmware.Core.Hal;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// A serial line whose input is a script of chunks and silences: a read returns the next chunk whole (however long
/// it was asked to wait), or nothing when the next entry is a silence or the script is empty. What the firmware
/// writes is collected in one buffer allocated up front, so that serving requests can be checked for allocations.
/// Answers can be held back until the firmware writes its next request, as a slave answers only once asked. With a
/// fake time, a read that finds nothing waits out its timeout by moving time on.
/// </summary>
internal sealed class ScriptedSerialLink(int baudRate, FakeTimeProvider? time = null) : ISerialLink
{
    private static readonly byte[] Silence = [];

    private readonly Queue<byte[]> _script = new();
    private readonly Queue<byte[][]> _answers = new();
    private readonly byte[] _written = new byte[1 << 20];
    private int _writtenCount;

    public int BaudRate => baudRate;

    /// <summary>The timeouts the firmware asked for, in order.</summary>
    public List<int> ReadTimeouts { get; } = [];

    public bool RecordTimeouts { get; set; } = true;

    public int Writes { get; private set; }

    public int Discards { get; private set; }

    /// <summary>Bytes arriving back to back; consecutive chunks form one frame unless a silence separates them.</summary>
    public void Arrive(params byte[] bytes) => _script.Enqueue(bytes);

    /// <summary>A frame followed by t3.5 of silence.</summary>
    public void ArriveFrame(params byte[] frame)
    {
        _script.Enqueue(frame);
        _script.Enqueue(Silence);
    }

    public void Quiet() => _script.Enqueue(Silence);

    /// <summary>An answer that arrives, in these pieces and then silence, after the next write; none is silence.</summary>
    public void AnswerNextWrite(params byte[][] pieces) => _answers.Enqueue(pieces);

    /// <summary>Everything written since the last call, and forgets it.</summary>
    public byte[] TakeWritten()
    {
        var written = _written.AsSpan(0, _writtenCount).ToArray();
        _writtenCount = 0;
        return written;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        if (RecordTimeouts)
            ReadTimeouts.Add(timeoutMilliseconds);
        if (!_script.TryPeek(out var next))
            return Nothing(timeoutMilliseconds);
        if (next.Length == 0)
        {
            _script.Dequeue();
            return Nothing(timeoutMilliseconds);
        }

        var taken = Math.Min(count, next.Length);
        Array.Copy(next, 0, buffer, offset, taken);
        _script.Dequeue();
        if (taken < next.Length)
        {
            // The rest stays first in line, as a driver's receive buffer keeps what a read did not take.
            var rest = next[taken..];
            var remaining = _script.ToArray();
            _script.Clear();
            _script.Enqueue(rest);
            foreach (var entry in remaining)
                _script.Enqueue(entry);
        }

        return taken;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        Writes++;
        Array.Copy(buffer, offset, _written, _writtenCount, count);
        _writtenCount += count;
        if (_answers.TryDequeue(out var pieces))
        {
            foreach (var piece in pieces)
                _script.Enqueue(piece);
            _script.Enqueue(Silence);
        }
    }

    private int Nothing(int timeoutMilliseconds)
    {
        time?.Advance(TimeSpan.FromMilliseconds(timeoutMilliseconds));
        return 0;
    }

    public void DiscardInput()
    {
        Discards++;
        _script.Clear();
    }
}
