using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// The live session to the fleet, as <see cref="UplinkService"/> tells it, for the parts of the gateway that publish
/// beside the outbox (twin reported state, health) or listen on topics of their own (twin desired state). Those
/// register with <see cref="OnConnected"/>. How the connection fares (since when, last error) is
/// <see cref="UplinkMonitor"/>'s to tell.
/// </summary>
public sealed partial class UplinkState(ILogger<UplinkState> logger)
{
    /// <summary>The longest a connection observer may take before the uplink goes on without it.</summary>
    public static readonly TimeSpan ObserverTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<Func<IUplinkSession, CancellationToken, Task>> _observers = [];
    private IUplinkSession? _session;

    /// <summary>The session while connected; null otherwise.</summary>
    public IUplinkSession? Session
    {
        get
        {
            lock (_gate)
                return _session is { Closed.IsCancellationRequested: false } live ? live : null;
        }
    }

    /// <summary>
    /// Registers <paramref name="observer"/> to run on every new connection before the outbox starts delivering over
    /// it, e.g. to subscribe to a topic; a failing or slow observer is logged and does not hold up delivery.
    /// </summary>
    public void OnConnected(Func<IUplinkSession, CancellationToken, Task> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
            _observers.Add(observer);
    }

    /// <summary>Called by the uplink when <paramref name="session"/> is up; runs the observers.</summary>
    public async Task ConnectedAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        List<Func<IUplinkSession, CancellationToken, Task>> observers;
        lock (_gate)
        {
            _session = session;
            observers = [.. _observers];
        }

        foreach (var observer in observers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ObserverTimeout);
            try
            {
                await observer(session, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogObserverFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>Called by the uplink when a session ended, cleanly or not.</summary>
    public void Disconnected()
    {
        lock (_gate)
            _session = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A task run on connecting to the fleet failed; the uplink goes on without it: {Error}")]
    private static partial void LogObserverFailed(ILogger logger, string error);
}
