using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// The embedded broker's security, on MQTTnet's server events: every connection authenticates against the ledger (or
/// is the fleet's own client), every publish and subscription stays within the device's topic ACL, no payload exceeds
/// <see cref="BrokerSecurityOptions.MaxPayloadBytes"/>, and nothing reaches a device it may not read. Every refusal is
/// counted by reason and logged; other devices never notice.
/// </summary>
/// <remarks>
/// MQTTnet 5.2 reads a whole packet before any hook sees it, so the payload limit refuses a large message but cannot
/// stop it being read; an external broker's own limit (Mosquitto's <c>max_packet_size</c>) can.
/// </remarks>
internal sealed partial class BrokerGuard(
    DeviceCredentials credentials,
    DeviceTopicAuthorizer authorizer,
    BrokerSessions sessions,
    BrokerCounters counters,
    FleetSecurityFiles files,
    IOptions<BrokerSecurityOptions> options,
    TimeProvider timeProvider,
    ILogger<BrokerGuard> logger) : IDisposable
{
    /// <summary>How often sessions are checked for credentials that ended (rotation grace, certificate expiry).</summary>
    private static readonly TimeSpan ExpirySweep = TimeSpan.FromSeconds(5);

    private const string IdentityKey = "civicedge.identity";
    private static readonly object FleetMarker = new();

    private readonly BrokerSecurityOptions _options = options.Value;
    private ITimer? _sweep;

    public bool Authentication => _options.Authentication;

    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.ValidatingConnectionAsync += ValidateAsync;
        server.ClientConnectedAsync += ConnectedAsync;
        server.ClientDisconnectedAsync += DisconnectedAsync;
        server.InterceptingPublishAsync += PublishAsync;
        server.InterceptingSubscriptionAsync += SubscribeAsync;
        server.InterceptingClientEnqueueAsync += EnqueueAsync;
        sessions.Attach(server);
        if (_options.Authentication)
        {
            // The fleet's own identity is made (or read) before the first device connects.
            _ = files.FleetIdentity;
            _sweep = timeProvider.CreateTimer(_ => _ = SweepAsync(), null, ExpirySweep, ExpirySweep);
        }
    }

    public void Dispose()
    {
        _sweep?.Dispose();
        sessions.Detach();
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs args)
    {
        if (!_options.Authentication)
        {
            counters.ConnectionAccepted();
            return;
        }

        var fleet = files.FleetIdentity;
        ConnectDecision decision;
        if (string.Equals(args.UserName, fleet.UserName, StringComparison.Ordinal))
        {
            decision = fleet.Matches(args.Password)
                ? ConnectDecision.Fleet()
                : ConnectDecision.Refuse(ConnectRefusal.BadPassword, $"the fleet's user name with a wrong password from {args.RemoteEndPoint}");
        }
        else
        {
            decision = await credentials.AuthenticateAsync(
                new ConnectAttempt(args.ClientId ?? string.Empty, args.UserName, args.Password, args.ClientCertificate),
                args.CancellationToken).ConfigureAwait(false);
        }

        if (decision.Refusal is { } refusal)
        {
            args.ReasonCode = refusal switch
            {
                ConnectRefusal.Decommissioned => MqttConnectReasonCode.NotAuthorized,
                ConnectRefusal.ClientIdMismatch => MqttConnectReasonCode.ClientIdentifierNotValid,
                _ => MqttConnectReasonCode.BadUserNameOrPassword,
            };
            counters.ConnectionRefused(Name(refusal));
            LogRefused(logger, args.ClientId ?? string.Empty, args.RemoteEndPoint?.ToString() ?? "?", Name(refusal), decision.Detail);
            return;
        }

        args.SessionItems[IdentityKey] = decision.IsFleet ? FleetMarker : new BrokerSession(args.ClientId!, decision.Device!);
        counters.ConnectionAccepted();
    }

    private Task ConnectedAsync(ClientConnectedEventArgs args)
    {
        if (args.SessionItems[IdentityKey] is BrokerSession session)
        {
            sessions.Opened(session);
            LogConnected(logger, session.Identity.Code, session.ClientId, session.Identity.CredentialId);
        }

        return Task.CompletedTask;
    }

    private Task DisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        if (args.SessionItems[IdentityKey] is BrokerSession session)
            sessions.Closed(session);
        return Task.CompletedTask;
    }

    private async Task PublishAsync(InterceptingPublishEventArgs args)
    {
        // Messages the server itself injects have no client; the fleet's client publishes anywhere.
        if (string.IsNullOrEmpty(args.ClientId) || args.SessionItems[IdentityKey] == FleetMarker)
            return;

        var message = args.ApplicationMessage;
        if (message.Payload.Length > _options.MaxPayloadBytes)
        {
            Refuse(args, MqttPubAckReasonCode.QuotaExceeded, "oversized",
                $"payload of {message.Payload.Length} bytes, above {BrokerOptions.Section}:MaxPayloadBytes ({_options.MaxPayloadBytes})");
            return;
        }

        if (!_options.Authentication)
            return;
        if (args.SessionItems[IdentityKey] is not BrokerSession session)
        {
            Refuse(args, MqttPubAckReasonCode.NotAuthorized, "acl", "a client without an authenticated session");
            return;
        }

        if (await authorizer.CheckPublishAsync(session.Identity, message.Topic, args.CancellationToken).ConfigureAwait(false) is { } reason)
            Refuse(args, MqttPubAckReasonCode.NotAuthorized, "acl", reason);
    }

    private async Task SubscribeAsync(InterceptingSubscriptionEventArgs args)
    {
        if (!_options.Authentication || args.SessionItems[IdentityKey] == FleetMarker)
            return;

        var filter = args.TopicFilter.Topic;
        var reason = args.SessionItems[IdentityKey] is BrokerSession session
            ? await authorizer.CheckSubscribeAsync(session.Identity, filter, args.CancellationToken).ConfigureAwait(false)
            : "a client without an authenticated session";
        if (reason is null)
            return;

        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        counters.SubscriptionRefused();
        LogSubscriptionRefused(logger, args.ClientId, filter, reason);
    }

    private async Task EnqueueAsync(InterceptingClientApplicationMessageEnqueueEventArgs args)
    {
        if (!_options.Authentication || sessions.Find(args.ReceiverClientId) is not { } receiver)
            return;

        // A subscription granted earlier may reach further than the ledger now allows (a device moved to another gateway).
        if (await authorizer.CheckDeliveryAsync(receiver.Identity, args.ApplicationMessage.Topic, CancellationToken.None).ConfigureAwait(false) is { } reason)
        {
            args.AcceptEnqueue = false;
            counters.DeliveryRefused();
            LogDeliveryRefused(logger, args.ApplicationMessage.Topic, args.ReceiverClientId, reason);
        }
    }

    private void Refuse(InterceptingPublishEventArgs args, MqttPubAckReasonCode code, string counter, string reason)
    {
        args.ProcessPublish = false;
        args.Response.ReasonCode = code;
        args.Response.ReasonString = reason;
        counters.PublishRefused(counter);
        LogPublishRefused(logger, args.ApplicationMessage.Topic, args.ClientId, counter, reason);
    }

    private async Task SweepAsync()
    {
        try
        {
            await sessions.CloseExpiredAsync(timeProvider.GetUtcNow()).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogSweepFailed(logger, exception);
        }
    }

    private static string Name(ConnectRefusal refusal) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(refusal.ToString());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the connection of client {ClientId} from {Remote} ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string clientId, string remote, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Code} connected as client {ClientId} with credential {CredentialId}")]
    private static partial void LogConnected(ILogger logger, string code, string clientId, string credentialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a message on {Topic} from client {ClientId} ({Counter}): {Reason}")]
    private static partial void LogPublishRefused(ILogger logger, string topic, string clientId, string counter, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the subscription of client {ClientId} to {Filter}: {Reason}")]
    private static partial void LogSubscriptionRefused(ILogger logger, string clientId, string filter, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Withheld a message on {Topic} from client {ClientId}: {Reason}")]
    private static partial void LogDeliveryRefused(ILogger logger, string topic, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking broker sessions for ended credentials failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
