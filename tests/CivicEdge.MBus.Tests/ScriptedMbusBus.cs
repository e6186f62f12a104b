using System.Threading.Channels;
using CivicEdge.Transports;

namespace CivicEdge.MBus.Tests;

/// <summary>
/// A fake bus at the byte-channel seam: records every frame the master sends and answers it with what the test's
/// responder returns for it (nothing, for a silent bus). Answers arrive as the master would receive them from a line.
/// </summary>
internal sealed class ScriptedMbusBus(Func<byte[], byte[]?> responder) : IByteChannel
{
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
    private byte[]? _pending;
    private int _pendingOffset;

    public List<byte[]> Sent { get; } = [];

    public string Name => "scripted-bus";

    public bool IsOpen { get; private set; }

    public int Available => (_pending is null ? 0 : _pending.Length - _pendingOffset) + (_incoming.Reader.TryPeek(out var next) ? next.Length : 0);

    public ValueTask<bool> OpenAsync(CancellationToken cancellationToken)
    {
        bool opened = !IsOpen;
        IsOpen = true;
        return ValueTask.FromResult(opened);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = data.ToArray();
        Sent.Add(frame);
        if (responder(frame) is { Length: > 0 } answer)
            _incoming.Writer.TryWrite(answer);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_pending is null)
        {
            _pending = await _incoming.Reader.ReadAsync(cancellationToken);
            _pendingOffset = 0;
        }
        int n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
        _pending.AsMemory(_pendingOffset, n).CopyTo(buffer);
        _pendingOffset += n;
        if (_pendingOffset == _pending.Length)
            _pending = null;
        return n;
    }

    public void Close() => IsOpen = false;

    public void Dispose() => IsOpen = false;
}
