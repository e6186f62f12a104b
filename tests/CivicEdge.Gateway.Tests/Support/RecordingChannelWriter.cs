using System.Threading.Channels;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>Passes every item on to the channel the runtime wrote to, and keeps a copy for the test to look at.</summary>
internal sealed class RecordingChannelWriter<T>(ChannelWriter<T> inner) : ChannelWriter<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _written = [];

    public IReadOnlyList<T> Written
    {
        get
        {
            lock (_gate)
                return [.. _written];
        }
    }

    public override bool TryWrite(T item)
    {
        if (!inner.TryWrite(item))
            return false;
        lock (_gate)
            _written.Add(item);
        return true;
    }

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
        inner.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null) => inner.TryComplete(error);
}
