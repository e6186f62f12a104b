namespace CivicEdge.Transports;

/// <summary>
/// The client end of a TCP link that reconnects on demand: a dropped connection stays dropped until the next
/// <see cref="OpenAsync"/>, which connects anew within the connect timeout.
/// </summary>
public sealed class TcpClientChannel : IByteChannel
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeProvider _timeProvider;
    private TcpConnection? _connection;
    private bool _disposed;

    public TcpClientChannel(string host, int port, TimeSpan connectTimeout, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        _host = host;
        _port = port;
        _connectTimeout = connectTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Name => $"{_host}:{_port}";

    public bool IsOpen => _connection is { IsConnected: true };

    public int Available => _connection is { IsConnected: true } connection ? connection.Available : 0;

    public async ValueTask<bool> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            if (!_connection.PeerHasClosed())
                return false;
            Close();
        }

        _connection = await TcpConnection.ConnectAsync(_host, _port, _connectTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Current.SendAsync(data, cancellationToken);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        Current.ReceiveAsync(buffer, cancellationToken);

    public void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose()
    {
        _disposed = true;
        Close();
    }

    public override string ToString() => $"tcp {Name}";

    private TcpConnection Current =>
        _connection is { IsConnected: true } connection
            ? connection
            : throw new IOException($"The connection to {Name} is not open.");
}
