namespace CivicEdge.Transports;

/// <summary>
/// A link that carries bytes to and from one field device or gateway: a TCP connection or a serial port.
/// Protocol stacks frame and parse on top of it; the channel knows nothing about messages.
/// Link failures surface as <see cref="IOException"/>; cancellation as <see cref="OperationCanceledException"/>.
/// One caller at a time: a channel is not safe for concurrent sends or concurrent receives.
/// </summary>
public interface IByteChannel : IDisposable
{
    /// <summary>Where the channel leads, for logs and error messages (e.g. <c>10.1.2.3:502</c>).</summary>
    string Name { get; }

    /// <summary>Whether the link is up as far as the channel knows; it goes down on an I/O error or when the peer closes.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Bytes that have arrived and wait to be received, 0 when the link is down. Lets a half-duplex master find and
    /// throw away stray bytes (a late answer, line noise) before it sends a request, without waiting for them.
    /// </summary>
    int Available { get; }

    /// <summary>
    /// Opens the link if it is not open, or if the peer has closed it since. Returns true when it opened a new link:
    /// bytes buffered from an earlier link belong to a dead stream and must be thrown away.
    /// </summary>
    ValueTask<bool> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Receives what has arrived, at least one byte; returns 0 when the peer closed the link.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Drops the link; the next <see cref="OpenAsync"/> opens a new one. <see cref="IDisposable.Dispose"/> drops it for good.</summary>
    void Close();
}
