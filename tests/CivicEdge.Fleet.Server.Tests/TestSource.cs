using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>A gateway as the fleet sees it: an MQTT 5 client that publishes batches and reads the acknowledgements.</summary>
internal sealed class TestSource : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<(DeliveryAck Ack, byte[]? CorrelationData)> _acks = Channel.CreateUnbounded<(DeliveryAck, byte[]?)>();

    private TestSource(string sourceId) => SourceId = sourceId;

    public string SourceId { get; }

    /// <summary>Provisions <paramref name="sourceId"/> as a gateway of <paramref name="fleet"/> and connects with its credentials.</summary>
    public static async Task<TestSource> ConnectAsync(FleetHost fleet, string sourceId, CancellationToken cancellationToken)
    {
        var secret = await fleet.ProvisionAsync(sourceId, cancellationToken);
        return await ConnectAsync(sourceId, fleet.MqttPort, cancellationToken, sourceId, secret);
    }

    public static async Task<TestSource> ConnectAsync(
        string sourceId, int port, CancellationToken cancellationToken, string? userName = null, string? password = null)
    {
        var source = new TestSource(sourceId);
        source._client.ApplicationMessageReceivedAsync += args =>
        {
            var ack = JsonSerializer.Deserialize(args.ApplicationMessage.Payload.ToArray(), ContractsJson.Default.DeliveryAck)!;
            source._acks.Writer.TryWrite((ack, args.ApplicationMessage.CorrelationData));
            return Task.CompletedTask;
        };

        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"{sourceId}/test-{Guid.NewGuid():N}");
        if (userName is not null)
            options.WithCredentials(userName, password);
        await source._client.ConnectAsync(options.Build(), cancellationToken);
        await source._client.SubscribeAsync(Topics.Ack(sourceId), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        return source;
    }

    public Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken, byte[]? correlationData = null) =>
        PublishRawAsync(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.TelemetryBatch), cancellationToken, correlationData);

    public Task PublishAsync(EventBatch batch, CancellationToken cancellationToken) =>
        PublishRawAsync(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.EventBatch), cancellationToken, topic: Topics.Events(SourceId));

    /// <summary>Publishes live values as a gateway does while it catches up: QoS 0, never acknowledged.</summary>
    public async Task PublishLiveAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Live(SourceId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.TelemetryBatch))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        await _client.PublishAsync(message, cancellationToken);
    }

    public async Task PublishRawAsync(byte[] payload, CancellationToken cancellationToken, byte[]? correlationData = null, string? topic = null)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic ?? Topics.Telemetry(SourceId))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (correlationData is not null)
            message.WithCorrelationData(correlationData);
        await _client.PublishAsync(message.Build(), cancellationToken);
    }

    public Task PublishTextAsync(string payload, CancellationToken cancellationToken) =>
        PublishRawAsync(Encoding.UTF8.GetBytes(payload), cancellationToken);

    public async Task PublishStateAsync(SourceState state, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.State(SourceId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(state, ContractsJson.Default.SourceState))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .Build();
        await _client.PublishAsync(message, cancellationToken);
    }

    public async Task<DeliveryAck> NextAckAsync(CancellationToken cancellationToken) =>
        (await _acks.Reader.ReadAsync(cancellationToken)).Ack;

    public ValueTask<(DeliveryAck Ack, byte[]? CorrelationData)> NextAckWithCorrelationAsync(CancellationToken cancellationToken) =>
        _acks.Reader.ReadAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _client.TryDisconnectAsync();
        _client.Dispose();
    }
}
