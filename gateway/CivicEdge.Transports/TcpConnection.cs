using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace CivicEdge.Transports;

/// <summary>
/// One established TCP connection, from either end. Socket errors become <see cref="IOException"/> naming the peer;
/// after one, or after the peer closed, <see cref="IsConnected"/> is false for good.
/// </summary>
public sealed class TcpConnection : IDisposable
{
    private readonly Socket _socket;
    private volatile bool _connected = true;

    internal TcpConnection(Socket socket)
    {
        _socket = socket;

        // Modbus and similar protocols send one small request and wait for its answer: Nagle's algorithm would hold
        // the request back waiting for more data that never comes.
        _socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    /// <summary>The peer, or null if it was already gone when the connection was set up.</summary>
    public EndPoint? RemoteEndPoint { get; }

    public bool IsConnected => _connected;

    /// <summary>Bytes received and not yet read; 0 once the connection is gone.</summary>
    public int Available
    {
        get
        {
            try
            {
                return _connected ? _socket.Available : 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>, giving up after <paramref name="timeout"/>.</summary>
    /// <exception cref="IOException">The host cannot be resolved or reached, refuses, or does not answer in time.</exception>
    public static async ValueTask<TcpConnection> ConnectAsync(
        string host, int port, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);

        // Dual-mode so that a name resolving to IPv4 or IPv6 addresses works the same.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            return new TcpConnection(socket);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IOException($"Connecting to {host}:{port} timed out after {timeout.TotalMilliseconds:0} ms.");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Connecting to {host}:{port} failed: {e.Message} ({e.SocketErrorCode}).", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the peer has closed its side while nobody was reading: the socket polls readable with nothing to read.
    /// Lets a client find out before it sends a request into a dead connection.
    /// </summary>
    public bool PeerHasClosed()
    {
        if (!_connected)
            return true;
        try
        {
            if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0)
                _connected = false;
        }
        catch (SocketException)
        {
            _connected = false;
        }
        catch (ObjectDisposedException)
        {
            _connected = false;
        }

        return !_connected;
    }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            while (!data.IsEmpty)
            {
                int sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (SocketException e)
        {
            _connected = false;
            throw new IOException($"Sending to {RemoteEndPoint} failed: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }

    /// <summary>Receives at least one byte, or returns 0 when the peer closed the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            int received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0 && !buffer.IsEmpty)
                _connected = false;
            return received;
        }
        catch (SocketException e)
        {
            _connected = false;
            throw new IOException($"Receiving from {RemoteEndPoint} failed: {e.Message} ({e.SocketErrorCode}).", e);
        }
    }

    /// <summary>Closes the connection; a pending receive or send ends with an <see cref="IOException"/> or cancellation.</summary>
    public void Dispose()
    {
        _connected = false;
        _socket.Dispose();
    }

    public override string ToString() => $"tcp {RemoteEndPoint}";
}
