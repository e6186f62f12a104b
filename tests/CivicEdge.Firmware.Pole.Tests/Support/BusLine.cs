using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Tests.Support;

/// <summary>
/// The RS-485 line between a gateway and the pole: what the gateway sent waits in the receive buffer whole (a frame and
/// then t3.5 of silence), what the pole writes is collected for the gateway to decode.
/// </summary>
public sealed class BusLine : ISerialLink
{
    private readonly Queue<byte[]> _frames = new();
    private readonly List<byte> _written = [];
    private bool _silenceDue;

    public int BaudRate => 9600;

    public void Send(byte[] frame) => _frames.Enqueue(frame);

    /// <summary>Everything the pole wrote since the last call.</summary>
    public byte[] TakeWritten()
    {
        var written = _written.ToArray();
        _written.Clear();
        return written;
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        if (_silenceDue || _frames.Count == 0)
        {
            _silenceDue = false;
            return 0;
        }

        var frame = _frames.Dequeue();
        Array.Copy(frame, 0, buffer, offset, frame.Length);
        _silenceDue = true;
        return frame.Length;
    }

    public void Write(byte[] buffer, int offset, int count) => _written.AddRange(buffer.AsSpan(offset, count).ToArray());

    public void DiscardInput() => _frames.Clear();
}
