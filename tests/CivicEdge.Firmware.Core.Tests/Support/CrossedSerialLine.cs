using CivicEdge.Firmware.Core.Hal;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// A serial line between a master and a slave in one thread: when the master finds nothing to read, the slave is
/// pumped once (it takes the request and answers); when there is still nothing, the master's wait moves fake time on.
/// The slave's end reads whatever has arrived, then silence.
/// </summary>
internal sealed class CrossedSerialLine
{
    private readonly Queue<byte> _toSlave = new(512);
    private readonly Queue<byte> _toMaster = new(512);

    public CrossedSerialLine(int baudRate, FakeTimeProvider time)
    {
        Master = new End(baudRate, _toMaster, _toSlave, this, time);
        Slave = new End(baudRate, _toSlave, _toMaster, null, null);
    }

    public ISerialLink Master { get; }

    public ISerialLink Slave { get; }

    /// <summary>Runs the slave's side once; set to e.g. <c>() =&gt; slave.Poll(0)</c>.</summary>
    public Action? Pump { get; set; }

    private sealed class End(int baudRate, Queue<byte> inbox, Queue<byte> outbox, CrossedSerialLine? line, FakeTimeProvider? time) : ISerialLink
    {
        public int BaudRate => baudRate;

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            if (inbox.Count == 0)
                line?.Pump?.Invoke();
            if (inbox.Count == 0)
            {
                time?.Advance(TimeSpan.FromMilliseconds(timeoutMilliseconds));
                return 0;
            }

            var taken = 0;
            while (taken < count && inbox.TryDequeue(out var b))
                buffer[offset + taken++] = b;
            return taken;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            // A frame still waiting for the slave (a broadcast, which nobody reads an answer to) was handled during
            // the silence before this one; without this they would run together.
            if (outbox.Count > 0)
                line?.Pump?.Invoke();
            for (var i = 0; i < count; i++)
                outbox.Enqueue(buffer[offset + i]);
        }

        public void DiscardInput() => inbox.Clear();
    }
}
