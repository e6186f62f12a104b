using System.Collections.Concurrent;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Simulators.Firmware;

namespace CivicEdge.Simulators.Tests.Firmware;

[Category("Unit")]
public sealed class MultidropLineTests
{
    [Test]
    public void Every_drop_hears_what_the_master_sends_and_answers_on_the_shared_line()
    {
        var master = new ScriptedLine();
        using var line = new MultidropLine(master);
        var first = line.Attach();
        var second = line.Attach();
        line.Start();

        master.Send([0x01, 0x03, 0x00, 0x00]);
        var heardByFirst = ReadAll(first);
        var heardBySecond = ReadAll(second);
        second.Write([0x02, 0x83, 0x02], 0, 3);

        Assert.That(heardByFirst, Is.EqualTo(new byte[] { 0x01, 0x03, 0x00, 0x00 }));
        Assert.That(heardBySecond, Is.EqualTo(new byte[] { 0x01, 0x03, 0x00, 0x00 }));
        Assert.That(master.Written, Is.EqualTo(new byte[] { 0x02, 0x83, 0x02 }));
    }

    [Test]
    public void Two_requests_heard_before_a_busy_device_reads_stay_two_frames_with_a_silence_between()
    {
        var master = new ScriptedLine();
        using var line = new MultidropLine(master);
        var drop = line.Attach();
        line.Start();

        master.Send([0x05, 0x01, 0x00, 0x00]);
        master.Send([0x06, 0x01, 0x00, 0x00]);
        SpinWait.SpinUntil(() => master.Pending == 0, TimeSpan.FromSeconds(5));
        Thread.Sleep(50);
        var buffer = new byte[16];

        var firstFrame = drop.Read(buffer, 0, buffer.Length, 100);
        var firstUnit = buffer[0];
        var silence = drop.Read(buffer, 0, buffer.Length, 0);
        var secondFrame = drop.Read(buffer, 0, buffer.Length, 100);

        Assert.That((firstFrame, firstUnit, silence, secondFrame, buffer[0]), Is.EqualTo((4, (byte)0x05, 0, 4, (byte)0x06)));
    }

    private static byte[] ReadAll(ISerialLink drop)
    {
        var buffer = new byte[16];
        int n = drop.Read(buffer, 0, buffer.Length, 2_000);
        return buffer[..n];
    }

    /// <summary>The master's side of the line: what the master sends is read a transmission at a time.</summary>
    private sealed class ScriptedLine : ISerialLink
    {
        private readonly ConcurrentQueue<byte[]> _toRead = new();
        private readonly List<byte> _written = [];

        public int BaudRate => 115200;

        public int Pending => _toRead.Count;

        public byte[] Written
        {
            get
            {
                lock (_written)
                    return [.. _written];
            }
        }

        public void Send(byte[] transmission) => _toRead.Enqueue(transmission);

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            if (!_toRead.TryDequeue(out var next))
            {
                Thread.Sleep(Math.Min(timeoutMilliseconds, 1));
                return 0;
            }

            next.CopyTo(buffer, offset);
            return next.Length;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_written)
                _written.AddRange(buffer.AsSpan(offset, count));
        }

        public void DiscardInput()
        {
        }
    }
}
