using CivicEdge.Transports;

namespace CivicEdge.Testing;

/// <summary>
/// A byte channel whose far end is a script: each request sent gets the chunks the script returns (nothing, noise,
/// an echo, another meter's frame, the answer one byte at a time). Bytes wait until received, like a serial driver's buffer.
/// </summary>
internal sealed class ScriptedMeterChannel(Func<byte[], IEnumerable<byte[]>> script) : IByteChannel
{
    private readonly Queue<byte> _pending = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly List<byte[]> _requests = [];

    public string Name => "scripted-line";

    public bool IsOpen { get; private set; }

    public int Available
    {
        get
        {
            lock (_pending)
                return _pending.Count;
        }
    }

    public IReadOnlyList<byte[]> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>Bytes that arrive without a request, e.g. noise left on the line.</summary>
    public void Inject(params byte[] bytes) => Deliver(bytes);

    public ValueTask<bool> OpenAsync(CancellationToken cancellationToken)
    {
        bool opened = !IsOpen;
        IsOpen = true;
        return ValueTask.FromResult(opened);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var request = data.ToArray();
        lock (_requests)
            _requests.Add(request);
        foreach (var chunk in script(request))
            Deliver(chunk);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_pending)
            {
                if (_pending.Count > 0)
                {
                    int n = 0;
                    while (n < buffer.Length && _pending.Count > 0)
                        buffer.Span[n++] = _pending.Dequeue();
                    return n;
                }
            }

            await _arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Close() => IsOpen = false;

    public void Dispose() => _arrived.Dispose();

    private void Deliver(byte[] bytes)
    {
        lock (_pending)
        {
            foreach (var b in bytes)
                _pending.Enqueue(b);
        }

        _arrived.Release();
    }
}
