using CivicEdge.Transports;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// A channel lent to a master that disposes what it is given: the meter line owns the channel, and several masters
/// (one per DL/T 645 version or CJ/T 188 DI byte order) may take turns on it, since the line's scheduler lane runs one
/// transaction at a time.
/// </summary>
internal sealed class UnownedChannel(IByteChannel channel) : IByteChannel
{
    public string Name => channel.Name;

    public bool IsOpen => channel.IsOpen;

    public int Available => channel.Available;

    public ValueTask<bool> OpenAsync(CancellationToken cancellationToken) => channel.OpenAsync(cancellationToken);

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => channel.SendAsync(data, cancellationToken);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => channel.ReceiveAsync(buffer, cancellationToken);

    public void Close() => channel.Close();

    public void Dispose()
    {
        // The line disposes the channel.
    }
}
