using System.Net;
using System.Net.Sockets;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A firmware serial line carried over TCP as a serial-to-Ethernet converter carries it (RTU frames as raw bytes, no
/// MBAP header), so that civicsim runs many devices without ptys. <see cref="Listen"/> stands for a converter in
/// server mode in front of a slave: a master (the gateway) connects to it; a new connection replaces the previous
/// one, as single-session converters do. <see cref="Connect"/> stands for a converter in front of the slaves a device's
/// own master polls. The baud rate is that of the line behind the converter, which sets the Modbus silent intervals.
/// </summary>
public sealed class TcpSerialLink : ISerialLink, IDisposable
{
    private readonly Socket? _listener;
    private readonly EndPoint? _remote;
    private Socket? _session;
    private bool _disposed;

    private TcpSerialLink(int baudRate, Socket? listener, EndPoint? remote)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baudRate, 50);
        BaudRate = baudRate;
        _listener = listener;
        _remote = remote;
    }

    public int BaudRate { get; }

    /// <summary>The port the link listens on (useful when it was asked for port 0), or 0 for a connecting link.</summary>
    public int LocalPort => (_listener?.LocalEndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>Whether a peer is connected.</summary>
    public bool IsConnected => _session is { Connected: true };

    /// <summary>Connections made or accepted so far.</summary>
    public int Sessions { get; private set; }

    /// <summary>Bytes written while no peer was connected, and so lost with nobody to hear them.</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Listens on <paramref name="endpoint"/> (port 0 lets the system choose) for a master to connect.</summary>
    public static TcpSerialLink Listen(IPEndPoint endpoint, int baudRate)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(1);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"Cannot listen for RTU over TCP on {endpoint}: {e.Message}", e);
        }

        return new TcpSerialLink(baudRate, listener, null);
    }

    /// <summary>Connects to a converter at <paramref name="host"/>:<paramref name="port"/> on first use, and again after it drops.</summary>
    public static TcpSerialLink Connect(string host, int port, int baudRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new TcpSerialLink(baudRate, null, new DnsEndPoint(host, port));
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = Session(timeoutMilliseconds);
        if (session is null)
            return 0;
        try
        {
            var micros = (int)Math.Min(Math.Max(timeoutMilliseconds, 0) * 1000L, int.MaxValue);
            if (!session.Poll(micros, SelectMode.SelectRead))
                return 0;
            var read = session.Receive(buffer, offset, count, SocketFlags.None);
            if (read == 0)
                Drop();
            return read;
        }
        catch (SocketException)
        {
            Drop();
            return 0;
        }
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = Session(0);
        if (session is null)
        {
            DroppedBytes += count;
            return;
        }

        try
        {
            while (count > 0)
            {
                var sent = session.Send(buffer, offset, count, SocketFlags.None);
                offset += sent;
                count -= sent;
            }
        }
        catch (SocketException)
        {
            DroppedBytes += count;
            Drop();
        }
    }

    public void DiscardInput()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _session;
        if (session is null)
            return;
        Span<byte> scratch = stackalloc byte[256];
        try
        {
            while (session.Available > 0)
                _ = session.Receive(scratch[..Math.Min(scratch.Length, session.Available)], SocketFlags.None);
        }
        catch (SocketException)
        {
            Drop();
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Drop();
        _listener?.Dispose();
    }

    public override string ToString() => _listener is not null ? $"RTU over TCP, listening on {_listener.LocalEndPoint}" : $"RTU over TCP to {_remote}";

    /// <summary>The current session: a newly accepted one replaces it; a connecting link (re)connects.</summary>
    private Socket? Session(int timeoutMilliseconds)
    {
        if (_listener is not null)
        {
            var waitMicros = _session is null ? (int)Math.Min(Math.Max(timeoutMilliseconds, 0) * 1000L, int.MaxValue) : 0;
            if (_listener.Poll(waitMicros, SelectMode.SelectRead))
            {
                Drop();
                _session = _listener.Accept();
                _session.NoDelay = true;
                Sessions++;
            }

            return _session;
        }

        if (_session is { Connected: true })
            return _session;
        Drop();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(_remote!);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }

        Sessions++;
        _session = socket;
        return socket;
    }

    private void Drop()
    {
        _session?.Dispose();
        _session = null;
    }
}
