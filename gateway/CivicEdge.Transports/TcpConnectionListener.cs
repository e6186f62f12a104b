using System.Net;
using System.Net.Sockets;

namespace CivicEdge.Transports;

/// <summary>Accepts TCP connections on one local endpoint, for servers such as a Modbus TCP slave.</summary>
public sealed class TcpConnectionListener : IDisposable
{
    private readonly Socket _socket;

    private TcpConnectionListener(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The endpoint actually bound: the OS-chosen port when port 0 was asked for.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds <paramref name="endpoint"/> and starts listening.</summary>
    /// <exception cref="IOException">The endpoint cannot be bound, e.g. the port is taken.</exception>
    public static TcpConnectionListener Start(IPEndPoint endpoint, int backlog = 128)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return new TcpConnectionListener(socket);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen on {endpoint}: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }

    /// <summary>Waits for the next client.</summary>
    /// <exception cref="IOException">Accepting failed, or the listener was disposed meanwhile.</exception>
    public async ValueTask<TcpConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            var socket = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            return new TcpConnection(socket);
        }
        catch (SocketException e)
        {
            throw new IOException($"Accepting on {LocalEndPoint} failed: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }

    /// <summary>Stops listening; a pending <see cref="AcceptAsync"/> ends with an exception. Accepted connections live on.</summary>
    public void Dispose() => _socket.Dispose();

    public override string ToString() => $"tcp listener {LocalEndPoint}";
}
