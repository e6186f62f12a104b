using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// The uplink over MQTT 5 (MQTTnet). Each connection uses the gateway id as client id and a clean start; its last will
/// is the offline <see cref="SourceState"/>, retained, on <see cref="Topics.State"/>, so the fleet learns of a gateway
/// that vanished without saying goodbye. Nothing is kept in the MQTT session: what the fleet has not acknowledged is
/// still in the outbox and is sent again on the next connection.
/// </summary>
/// <remarks>
/// With <see cref="UplinkOptions.Tls"/> the broker's certificate must carry <see cref="UplinkOptions.ServerName"/> (or
/// the host) and chain to <see cref="UplinkOptions.CaFile"/> (or the system's trust store); the gateway presents its
/// own certificate when one is configured. The user name and password are the gateway's own; a password file is read
/// at every connection, so a rotated password takes effect without a restart.
/// </remarks>
public sealed partial class MqttUplinkTransport : IUplinkTransport
{
    /// <summary>Room for the MQTT fixed and variable headers around the largest payload.</summary>
    private const int SocketBufferMargin = 1024;

    private readonly MqttClientFactory _factory = new();
    private readonly string _sourceId;
    private readonly UplinkOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<MqttUplinkTransport> _logger;
    private readonly X509Certificate2Collection? _authorities;
    private readonly X509Certificate2? _clientCertificate;

    public MqttUplinkTransport(string sourceId, UplinkOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _sourceId = sourceId;
        _options = options;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<MqttUplinkTransport>();
        if (options.Tls && !string.IsNullOrWhiteSpace(options.CaFile))
            _authorities = BrokerTrust.LoadAuthorities(options.CaFile);
        if (options.Tls && !string.IsNullOrWhiteSpace(options.CertificateFile) && !string.IsNullOrWhiteSpace(options.KeyFile))
            _clientCertificate = BrokerTrust.LoadClientCertificate(options.CertificateFile, options.KeyFile);
    }

    /// <summary>The software version announced in <see cref="SourceState"/>.</summary>
    public static string Version { get; } = ReadVersion();

    public async Task<IUplinkSession> ConnectAsync(CancellationToken cancellationToken)
    {
        if (!Topics.IsValidSegment(_sourceId))
            throw new ArgumentException($"The source id '{_sourceId}' is not a single MQTT topic level.", nameof(_sourceId));

        var will = JsonSerializer.SerializeToUtf8Bytes(
            new SourceState(_sourceId, Online: false, Version, _timeProvider.GetUtcNow()), ContractsJson.Default.SourceState);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_sourceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithWillTopic(Topics.State(_sourceId))
            .WithWillPayload(will)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true);

        string? refusal = null;
        if (_options.Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls()
                    .WithTargetHost(string.IsNullOrWhiteSpace(_options.ServerName) ? _options.Host : _options.ServerName)
                    .WithCertificateValidationHandler(args =>
                    {
                        var trusted = BrokerTrust.IsTrusted(args.Certificate, args.Chain, args.SslPolicyErrors, _authorities, out var reason);
                        refusal = trusted ? null : reason;
                        return trusted;
                    });
                if (_clientCertificate is not null)
                    tls.WithClientCertificates([_clientCertificate]);
            });
        }

        if (!string.IsNullOrWhiteSpace(_options.Username))
        {
            var password = string.IsNullOrWhiteSpace(_options.PasswordFile) ? _options.Password : UplinkCredentials.ReadPasswordFile(_options.PasswordFile);
            builder.WithCredentials(_options.Username, password ?? string.Empty);
        }

        var clientOptions = builder.Build();
        if (clientOptions.ChannelOptions is MqttClientTcpOptions tcp)
        {
            // MQTTnet sizes the socket buffers at 8 KiB; a batch larger than that then trickles out at a few messages a
            // second (delayed acknowledgements on every small send), so they hold a whole message.
            tcp.BufferSize = Math.Max(tcp.BufferSize, _options.MaxMessageBytes + SocketBufferMargin);
        }

        var session = new MqttUplinkSession(
            _factory.CreateMqttClient(), _sourceId, Version, _timeProvider, _loggerFactory.CreateLogger<MqttUplinkSession>());
        try
        {
            await session.OpenAsync(clientOptions, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch (Exception ex) when (refusal is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            LogCertificateRefused(_logger, _options.Host, _options.Port, refusal);
            throw new IOException($"TLS to {_options.Host}:{_options.Port} refused: {refusal}.", ex);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string ReadVersion()
    {
        var version = typeof(MqttUplinkTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var build = version.IndexOf('+', StringComparison.Ordinal);
        return build < 0 ? version : version[..build];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused the certificate of the broker at {Host}:{Port}: {Reason}")]
    private static partial void LogCertificateRefused(ILogger logger, string host, int port, string reason);
}
