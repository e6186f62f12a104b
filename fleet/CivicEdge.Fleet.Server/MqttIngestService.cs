using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Server.Commands;
using CivicEdge.Fleet.Server.Ota;
using CivicEdge.Fleet.Server.Security;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// The fleet's MQTT client: receives telemetry, events, live values, source states, twin reported states and health
/// reports from the broker (embedded or external, the same code path), has them ingested, and answers each telemetry or
/// event batch on <c>civic/v1/{source}/ack</c> once the outcome is durable; live values only update the in-memory
/// overlay; publishes twins' desired states retained and commands with their response topic, and hands command
/// results and signs of life to the <see cref="CommandDispatcher"/>. Reconnects with
/// exponential backoff whenever the connection drops, and on every connection publishes every stored desired state
/// again, so that a broker that lost its retained messages (the embedded one keeps them in memory) has them back.
/// </summary>
/// <remarks>
/// MQTTnet hands messages to the handler one at a time in arrival order. Telemetry and event batches go on to
/// <see cref="SourceLanes"/>, which keep each source's batches in that order (deduplication relies on it) while other
/// sources' batches are stored at the same time. A batch whose storing fails gets no acknowledgement; its source resends it.
/// OTA status reports take the same lanes (<see cref="OtaStatusIngest"/>), their MQTT deliveries acknowledged by hand
/// once stored.
/// </remarks>
internal sealed partial class MqttIngestService : BackgroundService, IDesiredStatePublisher, ICommandPublisher, IOtaOfferPublisher
{
    private static readonly string TelemetryKind = Topics.TelemetrySuffix[1..];
    private static readonly string StateKind = Topics.StateSuffix[1..];
    private static readonly string ReportedKind = Topics.ReportedSuffix[1..];
    private static readonly string HealthKind = Topics.HealthSuffix[1..];
    private static readonly string EventsKind = Topics.EventsSuffix[1..];
    private static readonly string LiveKind = Topics.LiveSuffix[1..];
    private static readonly string ResultsKind = Topics.ResultsSuffix[1..];
    private static readonly string OtaStatusKind = Topics.OtaStatusSuffix[1..];

    private readonly TelemetryIngestor _ingestor;
    private readonly TwinIngestor _twins;
    private readonly IFleetStore _store;
    private readonly EventIngestor _events;
    private readonly LiveValues _live;
    private readonly BrokerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MqttIngestService> _logger;
    private readonly IngestConnection _connection;
    private readonly IMqttClient _client;
    private readonly SourceLanes _lanes;
    private readonly CommandSignals _commandSignals;
    private readonly OtaStatusIngest _otaStatus;
    private readonly TaskCompletionSource _firstSubscription = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _connectionLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;
    private volatile bool _subscribed;

    public MqttIngestService(
        TelemetryIngestor ingestor,
        TwinIngestor twins,
        IFleetStore store,
        EventIngestor events,
        LiveValues live,
        IOptions<BrokerOptions> options,
        IngestConnection connection,
        TelemetryIngestOptions ingest,
        TimeProvider timeProvider,
        ILogger<MqttIngestService> logger,
        CommandSignals commandSignals,
        OtaStatusInbox otaStatus)
    {
        _commandSignals = commandSignals;
        _ingestor = ingestor;
        _twins = twins;
        _store = store;
        _events = events;
        _live = live;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _connection = connection;
        _client = new MqttClientFactory().CreateMqttClient();
        _lanes = new SourceLanes(ingest.Concurrency, capacity: 4, logger);
        _otaStatus = new OtaStatusIngest(_lanes, otaStatus, logger);
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>True while connected to the broker with both subscriptions granted.</summary>
    public bool IsReceiving => _subscribed && _client.IsConnected;

    /// <summary>Completes when the client has been subscribed for the first time.</summary>
    public Task WhenFirstSubscribedAsync(CancellationToken cancellationToken) => _firstSubscription.Task.WaitAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Batches still queued are not acknowledged; their sources send them again.
        await _lanes.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);

        // A clean DISCONNECT where the connection still stands; a broker already gone is no error when stopping.
        await _client.TryDisconnectAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _lanes.Complete();
        _client.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var delay = _options.ReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConnectAndSubscribeAsync(stoppingToken).ConfigureAwait(false);
                delay = _options.ReconnectDelay;
                await _connectionLost.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Anything can end a connection (refused, reset, broker gone, timeout): the loop outlives all of them.
                LogConnectionFailed(_logger, _options.Host, _options.Port, delay, exception);
                await _client.TryDisconnectAsync().ConfigureAwait(false);
            }

            _subscribed = false;
            try
            {
                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        _connectionLost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(_options.EffectiveClientId)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        _connection.Apply(connect);
        var connected = await _client.ConnectAsync(connect.Build(), cancellationToken).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            // MQTTnet 5 answers a refused CONNACK with a result, not an exception: a wrong fleet password on an external
            // broker must say so.
            throw new InvalidOperationException(
                $"The broker refused the fleet's connection as '{_connection.UserName ?? "(anonymous)"}': {connected.ResultCode}{(string.IsNullOrEmpty(connected.ReasonString) ? string.Empty : $" ({connected.ReasonString})")}.");
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter => filter.WithTopic(_options.TelemetrySubscription).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(_options.StateSubscription).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(_options.ReportedSubscription).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(_options.HealthSubscription).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(_options.EventsSubscription).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(_options.LiveSubscription).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(Topics.AllResults).WithAtLeastOnceQoS())
            .WithTopicFilter(filter => filter.WithTopic(Topics.AllOtaStatus).WithAtLeastOnceQoS())
            .Build();
        var granted = await _client.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false);
        foreach (var item in granted.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2))
            {
                throw new InvalidOperationException(
                    $"The broker refused the subscription to '{item.TopicFilter.Topic}' with QoS 1: {item.ResultCode}.");
            }
        }

        await RepublishDesiredAsync(cancellationToken).ConfigureAwait(false);
        _subscribed = true;
        _firstSubscription.TrySetResult();
        LogSubscribed(_logger, _options.Host, _options.Port, _options.TelemetrySubscription, _options.StateSubscription, _options.EventsSubscription, _options.LiveSubscription);
    }

    public async Task<bool> PublishDesiredAsync(string deviceId, DesiredState state, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            LogDesiredDeferred(_logger, deviceId, state.Version);
            return false;
        }

        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Desired(deviceId))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(state, ContractsJson.Default.DesiredState))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(true)
                .WithContentType("application/json")
                .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
                .Build();
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
                return true;
            LogDesiredRefused(_logger, deviceId, state.Version, result.ReasonCode.ToString());
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDesiredFailed(_logger, deviceId, state.Version, exception);
        }

        return false;
    }

    public async Task<bool> PublishCommandAsync(string addressee, CommandRequest request, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
            return false;

        try
        {
            // MQTT 5 request/response (§4.10): the gateway answers on the response topic with the correlation data; the
            // broker drops the message once the command has expired (message expiry interval, §3.3.2.3.3).
            var expiry = request.ExpiresAt - _timeProvider.GetUtcNow();
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Commands(addressee))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, CommandsJson.Default.CommandRequest))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithResponseTopic(Topics.Results(addressee))
                .WithCorrelationData(System.Text.Encoding.UTF8.GetBytes(request.Id))
                .WithMessageExpiryInterval((uint)Math.Clamp(Math.Ceiling(expiry.TotalSeconds), 1, uint.MaxValue))
                .WithContentType("application/json")
                .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
                .Build();
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
                return true;
            LogCommandRefused(_logger, request.Id, addressee, result.ReasonCode.ToString());
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCommandFailed(_logger, request.Id, addressee, exception);
        }

        return false;
    }

    public async Task<bool> PublishOfferAsync(string addressee, OtaOffer offer, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
            return false;

        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Ota(addressee))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(offer, OtaJson.Default.OtaOffer))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithContentType("application/json")
                .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData)
                .Build();
            var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
                return true;
            LogOfferRefused(_logger, offer.CampaignId, offer.Target, addressee, result.ReasonCode.ToString());
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogOfferFailed(_logger, offer.CampaignId, offer.Target, addressee, exception);
        }

        return false;
    }

    private async Task RepublishDesiredAsync(CancellationToken cancellationToken)
    {
        foreach (var twin in await _store.ListTwinsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (twin.Desired is { } desired)
                await PublishDesiredAsync(twin.DeviceId, desired, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        _subscribed = false;
        if (args.ClientWasConnected && !_stopping.IsCancellationRequested)
            LogDisconnected(_logger, args.Reason.ToString());
        _connectionLost.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (!Topics.TryParse(message.Topic, out var sourceId, out var kind))
        {
            LogIgnored(_logger, message.Topic);
            return;
        }

        if (kind == ResultsKind)
        {
            _commandSignals.Post(new CommandSignal(CommandSignalKind.Result, sourceId, message.Payload.ToArray(), message.CorrelationData));
            return;
        }

        if (kind == OtaStatusKind)
        {
            OtaStatusReport? report = null;
            string? reason = null;
            try
            {
                report = JsonSerializer.Deserialize(message.Payload.ToArray(), OtaJson.Default.OtaStatusReport);
            }
            catch (JsonException exception)
            {
                reason = $"expected an OTA status report as JSON, found: {exception.Message}";
            }
            if (report is null)
            {
                LogOtaStatusRefused(_logger, message.Topic, reason ?? "expected an OTA status report as JSON, found null");
                return;
            }
            // The report waits in its source's lane behind that source's earlier messages; this node acknowledges the
            // broker's delivery only once the report is durable (MQTT 5.0 §4.3.2: the PUBACK ends the broker's duty to
            // deliver), and the installer's own copy goes with the broker's acknowledgement to it.
            args.AutoAcknowledge = false;
            try
            {
                await _otaStatus.EnqueueAsync(sourceId, message.Topic, report, args.AcknowledgeAsync, _stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when ((exception is OperationCanceledException or ChannelClosedException) && _stopping.IsCancellationRequested)
            {
                // Stopping: neither stored nor acknowledged here, as when the node stops while the report is in its lane.
            }
            return;
        }

        // A retained health report says nothing of whether its source is connected now.
        if ((kind == TelemetryKind || kind == EventsKind || kind == HealthKind) && !message.Retain)
            _commandSignals.Post(new CommandSignal(CommandSignalKind.Spoke, sourceId));

        if (kind == TelemetryKind || kind == EventsKind)
        {
            // MQTTnet reuses the payload's buffer once the handler returns: the lane gets a copy.
            var payload = new ReadOnlySequence<byte>(message.Payload.ToArray());
            var correlation = message.CorrelationData;
            var topic = message.Topic;
            try
            {
                await _lanes.EnqueueAsync(sourceId, () => IngestBatchAsync(sourceId, kind, topic, payload, correlation), _stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when ((exception is OperationCanceledException or ChannelClosedException) && _stopping.IsCancellationRequested)
            {
                // Stopping: the batch is not acknowledged, so its source sends it again to whichever node runs next.
            }

            return;
        }

        try
        {
            if (kind == LiveKind)
            {
                // Live values are neither stored nor acknowledged; a malformed one is counted and logged by the overlay.
                _live.Accept(sourceId, message.Payload);
            }
            else if (kind == StateKind && !message.Payload.IsEmpty)
            {
                // An empty retained payload only clears the broker's retained state (MQTT 5.0 §3.3.1.3): nothing to record.
                await _ingestor.IngestStateAsync(sourceId, message.Payload, _stopping).ConfigureAwait(false);
                _commandSignals.Post(new CommandSignal(IsOnline(message.Payload) ? CommandSignalKind.Online : CommandSignalKind.Offline, sourceId));
            }
            else if (kind == ReportedKind && !message.Payload.IsEmpty)
            {
                await _twins.IngestReportedAsync(sourceId, message.Payload, _stopping).ConfigureAwait(false);
            }
            else if (kind == HealthKind && !message.Payload.IsEmpty)
            {
                await _twins.IngestHealthAsync(sourceId, message.Payload, _stopping).ConfigureAwait(false);
            }
            else if (kind != StateKind && kind != ReportedKind && kind != HealthKind)
            {
                LogIgnored(_logger, message.Topic);
            }
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            LogIngestFailed(_logger, message.Topic, exception);
        }
    }

    /// <summary>Ingests a telemetry or event batch and acknowledges it once the outcome is durable; runs in the source's lane.</summary>
    private async Task IngestBatchAsync(string sourceId, string kind, string topic, ReadOnlySequence<byte> payload, byte[]? correlationData)
    {
        try
        {
            var ack = kind == TelemetryKind
                ? await _ingestor.IngestBatchAsync(sourceId, payload, _stopping).ConfigureAwait(false)
                : await _events.IngestBatchAsync(sourceId, payload, _stopping).ConfigureAwait(false);
            await PublishAckAsync(sourceId, ack, correlationData).ConfigureAwait(false);
        }
        catch (BatchHeldBackException heldBack)
        {
            // Not acknowledged: the source sends the batch whose storing failed again first, then this one.
            LogHeldBack(_logger, topic, heldBack.Message);
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            // No acknowledgement: the source keeps the batch and resends it, which deduplication makes harmless.
            LogIngestFailed(_logger, topic, exception);
        }
    }

    private async Task PublishAckAsync(string sourceId, DeliveryAck ack, byte[]? correlationData)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Ack(sourceId))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, ContractsJson.Default.DeliveryAck))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        if (correlationData is { Length: > 0 })
            builder.WithCorrelationData(correlationData);

        var result = await _client.PublishAsync(builder.Build(), _stopping).ConfigureAwait(false);
        if (!result.IsSuccess)
            LogAckNotDelivered(_logger, sourceId, ack.Stream, ack.LastSeq, result.ReasonCode.ToString());
    }

    private static bool IsOnline(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return JsonSerializer.Deserialize(ref reader, ContractsJson.Default.SourceState)?.Online == true;
        }
        catch (JsonException)
        {
            // The ingest has logged it; a state the fleet cannot read is no sign the source is reachable.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker refused command {CommandId} for {Addressee}: {ReasonCode}; it stays queued")]
    private static partial void LogCommandRefused(ILogger logger, string commandId, string addressee, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish command {CommandId} for {Addressee}; it stays queued")]
    private static partial void LogCommandFailed(ILogger logger, string commandId, string addressee, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingesting from MQTT broker {Host}:{Port} ({TelemetryFilter}, {StateFilter}, {EventsFilter}, {LiveFilter})")]
    private static partial void LogSubscribed(ILogger logger, string host, int port, string telemetryFilter, string stateFilter, string eventsFilter, string liveFilter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Held back a batch on {Topic}: {Reason}")]
    private static partial void LogHeldBack(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the MQTT broker connection ({Reason}); reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot ingest from MQTT broker {Host}:{Port}; next attempt in {Delay}")]
    private static partial void LogConnectionFailed(ILogger logger, string host, int port, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a message on {Topic}, outside the fleet's topics")]
    private static partial void LogIgnored(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not ingest the message on {Topic}; it stays unacknowledged")]
    private static partial void LogIngestFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desired version {Version} of {DeviceId} is stored; not connected to the broker, it is published on reconnecting")]
    private static partial void LogDesiredDeferred(ILogger logger, string deviceId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker refused desired version {Version} of {DeviceId}: {ReasonCode}; it is published again on reconnecting")]
    private static partial void LogDesiredRefused(ILogger logger, string deviceId, long version, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish desired version {Version} of {DeviceId}; it is published again on reconnecting")]
    private static partial void LogDesiredFailed(ILogger logger, string deviceId, long version, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker refused the ack to {SourceId} for {Stream} up to seq {LastSeq}: {ReasonCode}")]
    private static partial void LogAckNotDelivered(ILogger logger, string sourceId, string stream, long lastSeq, string reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA offer of campaign {Campaign} for {Target} to {Addressee} refused by the broker: {Reason}; it is sent again")]
    private static partial void LogOfferRefused(ILogger logger, string campaign, string target, string addressee, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA offer of campaign {Campaign} for {Target} to {Addressee} not published; it is sent again")]
    private static partial void LogOfferFailed(ILogger logger, string campaign, string target, string addressee, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA status on {Topic} refused: {Reason}")]
    private static partial void LogOtaStatusRefused(ILogger logger, string topic, string reason);
}
