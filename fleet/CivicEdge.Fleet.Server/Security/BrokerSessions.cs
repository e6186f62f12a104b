using System.Collections.Concurrent;
using CivicEdge.Fleet.Core.Security;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// The device sessions open on the embedded broker, so the fleet can cut them: at once when a credential is revoked or
/// a device decommissioned, and when a credential's validity (a certificate's expiry, a rotation's grace) ends. With an
/// external broker there are none to cut.
/// </summary>
internal sealed partial class BrokerSessions(BrokerCounters counters, ILogger<BrokerSessions> logger) : IDeviceSessions
{
    private readonly ConcurrentDictionary<string, BrokerSession> _byClient = new(StringComparer.Ordinal);
    private volatile MqttServer? _server;

    public int Count => _byClient.Count;

    public void Attach(MqttServer server) => _server = server;

    public void Detach()
    {
        _server = null;
        _byClient.Clear();
    }

    public void Opened(BrokerSession session) => _byClient[session.ClientId] = session;

    public void Closed(BrokerSession session) =>
        _byClient.TryRemove(new KeyValuePair<string, BrokerSession>(session.ClientId, session));

    public BrokerSession? Find(string clientId) => _byClient.GetValueOrDefault(clientId);

    public Task<int> CloseAsync(string device, string? credentialId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return CloseWhereAsync(
            session => session.Identity.Code == device && (credentialId is null || session.Identity.CredentialId == credentialId),
            reason);
    }

    public Task LimitAsync(string device, string credentialId, DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        foreach (var session in _byClient.Values.Where(session => session.Identity.Code == device && session.Identity.CredentialId == credentialId))
        {
            if (session.ValidUntil is null || session.ValidUntil > validUntil)
                session.ValidUntil = validUntil;
        }

        return Task.CompletedTask;
    }

    /// <summary>Cuts every session whose credential is no longer valid at <paramref name="now"/>.</summary>
    public Task<int> CloseExpiredAsync(DateTimeOffset now) =>
        CloseWhereAsync(session => session.ValidUntil is { } until && until <= now, "credential expired");

    private async Task<int> CloseWhereAsync(Func<BrokerSession, bool> match, string reason)
    {
        if (_server is not { } server)
            return 0;

        var closed = 0;
        foreach (var session in _byClient.Values.Where(match).ToList())
        {
            try
            {
                await server.DisconnectClientAsync(
                    session.ClientId,
                    new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction, ReasonString = reason })
                    .ConfigureAwait(false);
                closed++;
                counters.SessionClosed();
                LogClosed(logger, session.Identity.Code, session.ClientId, reason);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException or IOException)
            {
                // Gone on its own meanwhile: nothing left to cut.
                LogAlreadyGone(logger, session.ClientId, exception.Message);
            }
            finally
            {
                Closed(session);
            }
        }

        return closed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cut the broker session of {Code} (client {ClientId}): {Reason}")]
    private static partial void LogClosed(ILogger logger, string code, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {ClientId} ended before it could be cut: {Error}")]
    private static partial void LogAlreadyGone(ILogger logger, string clientId, string error);
}
