using System.Collections.Concurrent;
using System.Net;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus TCP server (slave) that serves Modbus requests from one <see cref="RegisterBank"/> per
/// unit identifier. Serves many clients at once; each connection's requests are answered in the order they came,
/// so a client may pipeline. A connection whose stream stops making sense is closed without touching the others.
/// </summary>
/// <remarks>
/// Answers, in the order of the state diagrams of Modbus Application Protocol V1.1b3 §6:
/// a unit that <c>units</c> does not know gets exception 0x0B (gateway target device failed to respond), as a
/// TCP-to-serial gateway reports a slave that stays silent, so that a master learns it at once instead of timing out;
/// an unsupported function code gets 0x01; a quantity or byte count out of range, or a PDU whose length does not fit
/// its function, gets 0x03; an address range the bank refuses gets 0x02 or whatever its guards answer; a bank or
/// guard that throws gets 0x04.
/// </remarks>
public sealed partial class ModbusTcpServer : IAsyncDisposable
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IPEndPoint _endpoint;
    private readonly Func<byte, RegisterBank?> _units;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ModbusTcpServerSession, Task> _sessions = new();
    private TcpConnectionListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    /// <param name="endpoint">Where to listen; port 0 lets the OS choose (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="units">
    /// The register bank of a unit identifier, or null for a unit that is not there. Called for every request, from
    /// several connections at once.
    /// </param>
    /// <param name="logger">Where connections and refused requests are logged.</param>
    public ModbusTcpServer(IPEndPoint endpoint, Func<byte, RegisterBank?> units, ILogger<ModbusTcpServer>? logger = null)
        : this(endpoint, units, new FaultPlan(), null, logger)
    {
    }

    /// <param name="endpoint">Where to listen; port 0 lets the OS choose (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="units">
    /// The register bank of a unit identifier, or null for a unit that is not there. Called for every request, from
    /// several connections at once.
    /// </param>
    /// <param name="faults">
    /// The faults to inject into the answers of known units; it may be changed while the server runs. A
    /// <see cref="ModbusFaultKind.CrcError"/> has no meaning on TCP and is answered normally.
    /// </param>
    /// <param name="timeProvider">The clock of late answers. Default: the system clock.</param>
    /// <param name="logger">Where connections, refused requests and injected faults are logged.</param>
    public ModbusTcpServer(
        IPEndPoint endpoint, Func<byte, RegisterBank?> units, FaultPlan faults, TimeProvider? timeProvider = null, ILogger<ModbusTcpServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(faults);
        _endpoint = endpoint;
        _units = units;
        Faults = faults;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ModbusTcpServer>.Instance;
    }

    /// <summary>The faults injected into answers; change its rules at run time to change the server's behaviour.</summary>
    public FaultPlan Faults { get; }

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
        LogListening(_logger, _listener.LocalEndPoint);
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
        foreach (var session in _sessions.Keys)
            session.Close();
        await Task.WhenAll(_sessions.Values).ConfigureAwait(false);
        _stopping.Dispose();
        if (_listener is not null)
            LogStopped(_logger, _listener.LocalEndPoint);
    }

    public override string ToString() => $"Modbus TCP server {_listener?.LocalEndPoint.ToString() ?? _endpoint.ToString()}";

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
                // E.g. out of file descriptors: pause rather than spin, and keep serving the clients already connected.
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

            var session = new ModbusTcpServerSession(connection, _units, Faults, _timeProvider, _logger);
            _sessions[session] = RunSessionAsync(session, stopping);
        }
    }

    private async Task RunSessionAsync(ModbusTcpServerSession session, CancellationToken stopping)
    {
        // Off the accept loop at once, and only after the session is registered, so that removing it cannot come first.
        await Task.Yield();
        try
        {
            await session.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // One client's failure is logged and must not take the server or the other clients down.
            LogSessionFailed(_logger, e, session.Client);
        }
        finally
        {
            _sessions.TryRemove(session, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus TCP server listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus TCP server on {Endpoint} stopped")]
    private static partial void LogStopped(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus TCP server on {Endpoint} could not accept a client: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, IPEndPoint endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Modbus TCP connection from {Client} failed")]
    private static partial void LogSessionFailed(ILogger logger, Exception exception, string client);
}
