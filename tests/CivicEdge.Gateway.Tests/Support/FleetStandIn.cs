using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// The fleet's end of the MQTT contract, reduced to what the gateway's tests need: it receives telemetry and state
/// messages and answers each batch with the <see cref="DeliveryAck"/> that <see cref="Answer"/> chooses.
/// </summary>
internal sealed class FleetStandIn : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<TelemetryBatch> _batches = Channel.CreateUnbounded<TelemetryBatch>();
    private readonly Channel<SourceState> _states = Channel.CreateUnbounded<SourceState>();

    private FleetStandIn()
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>The answer to a batch, or null to stay silent; persisted by default.</summary>
    public Func<TelemetryBatch, DeliveryAck?> Answer { get; set; } = Persist;

    /// <summary>The answer of a fleet that stored every record of the batch.</summary>
    public static DeliveryAck Persist(TelemetryBatch batch) =>
        new(batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq, AckStatus.Persisted, batch.Records.Count, 0);

    /// <summary>Connects to the broker on <paramref name="port"/>; <paramref name="configure"/> adds TLS or credentials.</summary>
    public static async Task<FleetStandIn> ConnectAsync(int port, Action<MqttClientOptionsBuilder>? configure = null)
    {
        var fleet = new FleetStandIn();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("fleet-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V500);
        configure?.Invoke(builder);
        await fleet._client.ConnectAsync(builder.Build());
        var subscription = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.AllTelemetry, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.AllStates, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await fleet._client.SubscribeAsync(subscription);
        return fleet;
    }

    public Task<TelemetryBatch> NextBatchAsync() => _batches.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    public Task<SourceState> NextStateAsync() => _states.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        _client.Dispose();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (!Topics.TryParse(message.Topic, out var source, out var kind))
            return;
        var reader = new Utf8JsonReader(message.Payload);
        if ("/" + kind == Topics.StateSuffix)
        {
            _states.Writer.TryWrite(JsonSerializer.Deserialize(ref reader, ContractsJson.Default.SourceState)!);
            return;
        }

        var batch = JsonSerializer.Deserialize(ref reader, ContractsJson.Default.TelemetryBatch)!;
        _batches.Writer.TryWrite(batch);
        if (Answer(batch) is { } ack)
        {
            await _client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Ack(source))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, ContractsJson.Default.DeliveryAck))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
        }
    }
}
