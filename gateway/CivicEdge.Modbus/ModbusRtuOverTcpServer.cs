using System.Collections.Concurrent;
using System.Net;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Modbus;

/// <summary>
/// RTU over TCP: a TCP listener whose connections carry RTU frames (address, PDU, CRC) with no MBAP header, as a
/// serial-to-Ethernet converter exposes its RS-485 bus. Each connection sees the whole bus: several units, broadcast
/// writes applied to all without an answer, silence for other units, frames with a wrong CRC ignored and counted.
/// </summary>
public sealed partial class ModbusRtuOverTcpServer : IAsyncDisposable
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IPEndPoint _endpoint;
    private readonly IReadOnlyDictionary<byte, RegisterBank> _units;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpConnection, Task> _connections = new();
    private TcpConnectionListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    /// <param name="endpoint">Where to listen; port 0 lets the OS choose (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="units">The units on the bus behind the converter, by identifier (1..247).</param>
    /// <param name="faults">The faults to inject into answers; it may be changed while the server runs. Default: none.</param>
    /// <param name="timeProvider">The clock of late answers. Default: the system clock.</param>
    /// <param name="logger">Where connections and the bus's events are logged.</param>
    /// <exception cref="ArgumentException">The units are empty or include 0.</exception>
    public ModbusRtuOverTcpServer(
        IPEndPoint endpoint,
        IReadOnlyDictionary<byte, RegisterBank> units,
        FaultPlan? faults = null,
        TimeProvider? timeProvider = null,
        ILogger<ModbusRtuOverTcpServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ModbusRtuSlave.CheckUnits(units);
        _endpoint = endpoint;
        _units = units;
        Faults = faults ?? new FaultPlan();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModbusRtuOverTcpServer>.Instance;
    }

    /// <summary>The faults injected into answers; change its rules at run time to change the server's behaviour.</summary>
    public FaultPlan Faults { get; }

    /// <summary>What the server saw over all its connections.</summary>
    public ModbusSlaveCounters Counters { get; } = new();

    /// <summary>The endpoint actually bound, with the OS-chosen port when port 0 was asked for.</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public IPEndPoint LocalEndPoint =>
        _listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not listening yet; call StartAsync first.");

    /// <summary>Binds the endpoint and starts accepting clients; returns once the server is listening.</summary>
    /// <exception cref="IOException">The endpoint cannot be bound, e.g. the port is taken.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_listener is not null)
            throw new InvalidOperationException($"The server is already listening on {_listener.LocalEndPoint}.");

        _listener = TcpConnectionListener.Start(_endpoint);
        LogListening(_logger, _listener.LocalEndPoint, string.Join(", ", _units.Keys.Order()));
        _acceptLoop = AcceptLoopAsync(_listener, _stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening, closes every client connection and waits until they are done.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
            connection.Dispose();
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
        if (_listener is not null)
            LogStopped(_logger, _listener.LocalEndPoint, Counters.ToString());
    }

    public override string ToString() => $"Modbus RTU over TCP server {_listener?.LocalEndPoint.ToString() ?? _endpoint.ToString()}";

    private async Task AcceptLoopAsync(TcpConnectionListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpConnection connection;
            try
            {
                connection = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                return;
            }
            catch (IOException e)
            {
                LogAcceptFailed(_logger, listener.LocalEndPoint, e.Message);
                try
                {
                    await Task.Delay(AcceptRetryDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            _connections[connection] = ServeAsync(connection, stopping);
        }
    }

    private async Task ServeAsync(TcpConnection connection, CancellationToken stopping)
    {
        // Off the accept loop at once, and only after the connection is registered, so that removing it cannot come first.
        await Task.Yield();
        var client = connection.RemoteEndPoint?.ToString() ?? "unknown client";
        LogAccepted(_logger, client);

        // A converter forwards bytes as the bus delivers them: pacing belongs to the serial side, not to TCP.
        using var session = new ModbusRtuSlaveSession(
            $"rtu-over-tcp {client}", connection.ReceiveAsync, connection.SendAsync, _units, Faults, Counters, null, _timeProvider, _logger);
        try
        {
            await session.RunAsync(stopping).ConfigureAwait(false);
            LogClosedByClient(_logger, client);
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The server is stopping and closed the connection under the pending receive.
        }
        catch (IOException e)
        {
            LogConnectionLost(_logger, client, e.Message);
        }
        finally
        {
            connection.Dispose();
            _connections.TryRemove(connection, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus RTU over TCP server listening on {Endpoint} for units {Units}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint, string units);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus RTU over TCP server on {Endpoint} stopped: {Counters}")]
    private static partial void LogStopped(ILogger logger, IPEndPoint endpoint, string counters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus RTU over TCP server on {Endpoint} could not accept a client: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, IPEndPoint endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus RTU over TCP client {Client} connected")]
    private static partial void LogAccepted(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus RTU over TCP client {Client} closed the connection")]
    private static partial void LogClosedByClient(ILogger logger, string client);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus RTU over TCP connection from {Client} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string client, string reason);
}
