using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using CivicEdge.Fleet.Server.Security;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// The MQTT 5 broker inside the fleet process (MQTTnet.Server), for the single-node deployment where nothing else is
/// installed. Does nothing when <see cref="BrokerOptions.Embedded"/> is false. Started before the ingest client and
/// stopped after it, as hosted services start in registration order and stop in reverse. <see cref="BrokerGuard"/>
/// authenticates every connection against the ledger and holds every device to its topics; with
/// <c>Fleet:Broker:Tls:Enabled</c> the port speaks TLS only.
/// </summary>
internal sealed partial class EmbeddedBroker(
    IOptions<BrokerOptions> options,
    IOptions<BrokerSecurityOptions> security,
    BrokerGuard guard,
    FleetSecurityFiles files,
    ILogger<EmbeddedBroker> logger)
    : IHostedService, IDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var broker = options.Value;
        if (!broker.Embedded)
        {
            LogExternal(logger, broker.Host, broker.Port);
            return;
        }

        var address = IPAddress.Parse(broker.BindAddress);
        var ipv6 = address.AddressFamily == AddressFamily.InterNetworkV6;

        // MQTTnet binds an IPv6 endpoint as well unless told IPAddress.None; bind exactly the configured address.
        var builder = new MqttServerOptionsBuilder();
        var tls = security.Value.Tls.Enabled;
        if (tls)
        {
            builder
                .WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointPort(broker.Port)
                .WithEncryptedEndpointBoundIPAddress(ipv6 ? IPAddress.None : address)
                .WithEncryptedEndpointBoundIPV6Address(ipv6 ? address : IPAddress.None)
                .WithEncryptionCertificate(files.LoadBrokerCertificate())
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13)
                // Asked for, not required: SslStream only receives a client certificate it requested. The guard checks
                // it against the fleet CA and the ledger; a client without one authenticates with its password.
                .WithClientCertificate(AcceptAnyClientCertificate, true);
        }
        else
        {
            builder
                .WithDefaultEndpoint()
                .WithDefaultEndpointPort(broker.Port)
                .WithDefaultEndpointBoundIPAddress(ipv6 ? IPAddress.None : address)
                .WithDefaultEndpointBoundIPV6Address(ipv6 ? address : IPAddress.None);
        }

        _server = new MqttServerFactory().CreateMqttServer(builder.Build());
        guard.Attach(_server);
        try
        {
            await _server.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException exception)
        {
            throw new InvalidOperationException(
                $"{BrokerOptions.Section}:Port: the embedded MQTT broker cannot listen on {broker.BindAddress}:{broker.Port}: {exception.Message}",
                exception);
        }

        LogListening(logger, broker.BindAddress, broker.Port, tls ? "TLS" : "plain TCP", security.Value.Authentication ? "devices of the ledger" : "anyone (Fleet:Broker:Authentication=false)");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            try
            {
                await _server.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                LogStopped(logger);
            }
            catch (InvalidOperationException exception)
            {
                // MQTTnet 5.2's TCP adapter enumerates its listeners while a listener that is ending removes itself
                // ("Collection was modified"). The listeners are closed either way and Dispose releases the rest, so a
                // stop must not fail on it.
                LogStopRaced(logger, exception.Message);
            }
        }
    }

    public void Dispose()
    {
        guard.Dispose();
        _server?.Dispose();
    }

    private static bool AcceptAnyClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port} ({Transport}) for {Clients}")]
    private static partial void LogListening(ILogger logger, string address, int port, string transport, string clients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded MQTT broker stopped with an error in its listener clean-up: {Error}")]
    private static partial void LogStopRaced(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the external MQTT broker at {Host}:{Port}")]
    private static partial void LogExternal(ILogger logger, string host, int port);
}
