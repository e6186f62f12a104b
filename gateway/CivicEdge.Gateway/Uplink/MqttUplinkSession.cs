using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CivicEdge.Gateway.Uplink;

/// <summary>One MQTT connection of <see cref="MqttUplinkTransport"/>.</summary>
internal sealed partial class MqttUplinkSession : IUplinkSession
{
    private readonly IMqttClient _client;
    private readonly string _sourceId;
    private readonly string _version;
    private readonly string _ackTopic;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MqttUplinkSession> _logger;
    private readonly Channel<DeliveryAck> _acks = Channel.CreateUnbounded<DeliveryAck>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly Dictionary<string, Func<ReadOnlySequence<byte>, Task>> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<UplinkRequest, Task>> _requestHandlers = new(StringComparer.Ordinal);

    /// <summary>
    /// Where batches are encoded: reused, since the delivery loop publishes one message at a time and a publish
    /// completes only once MQTTnet has written it, so that large batches do not each allocate a large array.
    /// </summary>
    private readonly ArrayBufferWriter<byte> _payload = new(64 * 1024);
    private volatile bool _closing;

    public MqttUplinkSession(IMqttClient client, string sourceId, string version, TimeProvider timeProvider, ILogger<MqttUplinkSession> logger)
    {
        _client = client;
        _sourceId = sourceId;
        _version = version;
        _ackTopic = Topics.Ack(sourceId);
        _timeProvider = timeProvider;
        _logger = logger;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public ChannelReader<DeliveryAck> Acks => _acks.Reader;

    public CancellationToken Closed => _closed.Token;

    /// <summary>Connects, subscribes to the acknowledgements before anything is sent, then announces the gateway online.</summary>
    public async Task OpenAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var connected = await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            // MQTT 5 brokers answer a refused CONNECT with a reason code (MQTT 5.0 §3.2.2.2), e.g. a wrong password.
            throw new InvalidOperationException(
                $"The broker refused the connection: {connected.ResultCode}{(string.IsNullOrEmpty(connected.ReasonString) ? string.Empty : $" ({connected.ReasonString})")}.");
        }

        var subscription = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_ackTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var subscribed = await _client.SubscribeAsync(subscription, cancellationToken).ConfigureAwait(false);
        var granted = subscribed.Items.FirstOrDefault()?.ResultCode;
        if (granted is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            throw new InvalidOperationException($"The broker refused the subscription to {_ackTopic}: {granted?.ToString() ?? "no answer"}.");
        await PublishStateAsync(online: true, cancellationToken).ConfigureAwait(false);
    }

    public Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return PublishBatchAsync(
            Topics.Telemetry(_sourceId),
            Encode(batch, ContractsJson.Default.TelemetryBatch),
            batch.Stream,
            batch.Records[0].Seq,
            batch.Records[^1].Seq,
            cancellationToken);
    }

    public Task PublishAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return PublishBatchAsync(
            Topics.Events(_sourceId),
            Encode(batch, ContractsJson.Default.EventBatch),
            batch.Stream,
            batch.Records[0].Seq,
            batch.Records[^1].Seq,
            cancellationToken);
    }

    public async Task PublishLiveAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Live(_sourceId))
            .WithPayload(Encode(batch, ContractsJson.Default.TelemetryBatch))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithContentType("application/json")
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new InvalidOperationException($"The broker refused the message on {topic}: {result.ReasonCode} {result.ReasonString}");
    }

    public async Task SubscribeAsync(string topic, Func<ReadOnlySequence<byte>, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
            _handlers[topic] = handler;
        var subscription = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var subscribed = await _client.SubscribeAsync(subscription, cancellationToken).ConfigureAwait(false);
        var granted = subscribed.Items.FirstOrDefault()?.ResultCode;
        if (granted is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            throw new InvalidOperationException($"The broker refused the subscription to {topic}: {granted?.ToString() ?? "no answer"}.");
    }

    public async Task SubscribeRequestsAsync(string topic, Func<UplinkRequest, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlers)
            _requestHandlers[topic] = handler;
        var subscription = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var subscribed = await _client.SubscribeAsync(subscription, cancellationToken).ConfigureAwait(false);
        var granted = subscribed.Items.FirstOrDefault()?.ResultCode;
        if (granted is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            throw new InvalidOperationException($"The broker refused the subscription to {topic}: {granted?.ToString() ?? "no answer"}.");
    }

    public async Task PublishResponseAsync(string topic, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> correlationData, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        if (!correlationData.IsEmpty)
            message.WithCorrelationData(correlationData.ToArray());
        var result = await _client.PublishAsync(message.Build(), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new InvalidOperationException($"The broker refused the message on {topic}: {result.ReasonCode} {result.ReasonString}");
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
            return;
        _closing = true;
        await PublishStateAsync(online: false, cancellationToken).ConfigureAwait(false);
        var disconnect = new MqttClientDisconnectOptionsBuilder()
            .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection)
            .Build();
        await _client.DisconnectAsync(disconnect, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        MarkClosed();
        _closed.Dispose();
        return ValueTask.CompletedTask;
    }

    private ReadOnlySequence<byte> Encode<T>(T batch, JsonTypeInfo<T> typeInfo)
    {
        _payload.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_payload))
            JsonSerializer.Serialize(writer, batch, typeInfo);
        return new ReadOnlySequence<byte>(_payload.WrittenMemory);
    }

    private async Task PublishBatchAsync(string topic, ReadOnlySequence<byte> payload, string stream, long firstSeq, long lastSeq, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            // The broker refused the message; the records stay in the outbox and go out again when no ack comes.
            LogPublishRefused(_logger, stream, firstSeq, lastSeq, result.ReasonCode.ToString(), result.ReasonString);
        }
    }

    private async Task PublishStateAsync(bool online, CancellationToken cancellationToken)
    {
        var state = new SourceState(_sourceId, online, _version, _timeProvider.GetUtcNow());
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.State(_sourceId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(state, ContractsJson.Default.SourceState))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (message.Topic != _ackTopic)
        {
            Func<ReadOnlySequence<byte>, Task>? handler;
            Func<UplinkRequest, Task>? requestHandler;
            lock (_handlers)
            {
                _handlers.TryGetValue(message.Topic, out handler);
                _requestHandlers.TryGetValue(message.Topic, out requestHandler);
            }

            // MQTTnet reuses the payload's buffer once the handler returns: a request keeps a copy.
            if (requestHandler is not null)
                return requestHandler(new UplinkRequest(message.Payload.ToArray(), message.ResponseTopic, message.CorrelationData));
            return handler is null ? Task.CompletedTask : handler(message.Payload);
        }

        DeliveryAck? ack;
        try
        {
            var reader = new Utf8JsonReader(message.Payload);
            ack = JsonSerializer.Deserialize(ref reader, ContractsJson.Default.DeliveryAck);
        }
        catch (JsonException ex)
        {
            LogMalformedAck(_logger, message.Topic, ex.Message, Excerpt(message.Payload));
            return Task.CompletedTask;
        }

        if (ack is null)
            LogMalformedAck(_logger, message.Topic, "null", Excerpt(message.Payload));
        else
            _acks.Writer.TryWrite(ack);
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected && !_closing)
            LogDisconnected(_logger, args.Reason.ToString(), args.Exception?.Message ?? args.ReasonString ?? "no detail");
        MarkClosed();
        return Task.CompletedTask;
    }

    private void MarkClosed()
    {
        // Cancel first, then complete: a reader that sees the channel completed also sees the session closed.
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: the session is over either way.
        }

        _acks.Writer.TryComplete();
    }

    private static string Excerpt(ReadOnlySequence<byte> payload)
    {
        const int Max = 200;
        var bytes = payload.Length > Max ? payload.Slice(0, Max).ToArray() : payload.ToArray();
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker refused {Stream} {FirstSeq}..{LastSeq}: {ReasonCode} {ReasonString}")]
    private static partial void LogPublishRefused(ILogger logger, string stream, long firstSeq, long lastSeq, string reasonCode, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a malformed acknowledgement on {Topic}: {Error}; payload {Payload}")]
    private static partial void LogMalformedAck(ILogger logger, string topic, string error, string payload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the fleet lost: {Reason} ({Detail})")]
    private static partial void LogDisconnected(ILogger logger, string reason, string detail);
}
