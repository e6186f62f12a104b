using System.Reflection;
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
public sealed class MqttUplinkTransport(
    string sourceId,
    UplinkOptions options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IUplinkTransport
{
    private readonly MqttClientFactory _factory = new();

    /// <summary>The software version announced in <see cref="SourceState"/>.</summary>
    public static string Version { get; } = ReadVersion();

    public async Task<IUplinkSession> ConnectAsync(CancellationToken cancellationToken)
    {
        if (!Topics.IsValidSegment(sourceId))
            throw new ArgumentException($"The source id '{sourceId}' is not a single MQTT topic level.", nameof(sourceId));

        var will = JsonSerializer.SerializeToUtf8Bytes(
            new SourceState(sourceId, Online: false, Version, timeProvider.GetUtcNow()), ContractsJson.Default.SourceState);
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(sourceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithWillTopic(Topics.State(sourceId))
            .WithWillPayload(will)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true)
            .Build();

        var session = new MqttUplinkSession(
            _factory.CreateMqttClient(), sourceId, Version, timeProvider, loggerFactory.CreateLogger<MqttUplinkSession>());
        try
        {
            await session.OpenAsync(clientOptions, cancellationToken).ConfigureAwait(false);
            return session;
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
}
