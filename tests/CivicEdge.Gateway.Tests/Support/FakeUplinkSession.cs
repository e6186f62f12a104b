using System.Buffers;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Uplink;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>An uplink session in memory: the test sees every published batch and plays the fleet's acknowledgements.</summary>
internal sealed class FakeUplinkSession : IUplinkSession
{
    private readonly Channel<DeliveryAck> _acks = Channel.CreateUnbounded<DeliveryAck>();
    private readonly Channel<TelemetryBatch> _published = Channel.CreateUnbounded<TelemetryBatch>();
    private readonly Channel<EventBatch> _events = Channel.CreateUnbounded<EventBatch>();
    private readonly Channel<TelemetryBatch> _live = Channel.CreateUnbounded<TelemetryBatch>();
    private readonly CancellationTokenSource _closed = new();
    private readonly Channel<(string Topic, byte[] Payload, bool Retain)> _messages = Channel.CreateUnbounded<(string, byte[], bool)>();
    private readonly Dictionary<string, Func<ReadOnlySequence<byte>, Task>> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<UplinkRequest, Task>> _requestHandlers = new(StringComparer.Ordinal);
    private readonly Channel<(string Topic, byte[] Payload, byte[] CorrelationData)> _responses = Channel.CreateUnbounded<(string, byte[], byte[])>();
    private readonly Lock _gate = new();
    private readonly List<(string Topic, string Stream, long First, long Last)> _log = [];

    public ChannelReader<DeliveryAck> Acks => _acks.Reader;

    public CancellationToken Closed => _closed.Token;

    public bool ClosedCleanly { get; private set; }

    /// <summary>Every publication in order: topic kind (telemetry, events, live), stream and sequence range.</summary>
    public IReadOnlyList<(string Topic, string Stream, long First, long Last)> Log
    {
        get
        {
            lock (_gate)
                return [.. _log];
        }
    }

    public Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record("telemetry", batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq);
        _published.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _messages.Writer.TryWrite((topic, payload.ToArray(), retain));
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(string topic, Func<ReadOnlySequence<byte>, Task> handler, CancellationToken cancellationToken)
    {
        lock (_handlers)
            _handlers[topic] = handler;
        return Task.CompletedTask;
    }

    public Task SubscribeRequestsAsync(string topic, Func<UplinkRequest, Task> handler, CancellationToken cancellationToken)
    {
        lock (_handlers)
            _requestHandlers[topic] = handler;
        return Task.CompletedTask;
    }

    public Task PublishResponseAsync(string topic, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> correlationData, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _responses.Writer.TryWrite((topic, payload.ToArray(), correlationData.ToArray()));
        return Task.CompletedTask;
    }

    /// <summary>Plays the fleet sending a request on <paramref name="topic"/> with a response topic and correlation data.</summary>
    public Task DeliverRequestAsync(string topic, byte[] payload, string? responseTopic, byte[]? correlationData)
    {
        Func<UplinkRequest, Task>? handler;
        lock (_handlers)
            _requestHandlers.TryGetValue(topic, out handler);
        return handler?.Invoke(new UplinkRequest(payload, responseTopic, correlationData)) ?? throw new InvalidOperationException($"Nobody subscribed to requests on {topic}.");
    }

    /// <summary>True once someone subscribed to requests on <paramref name="topic"/>.</summary>
    public bool HasRequestSubscription(string topic)
    {
        lock (_handlers)
            return _requestHandlers.ContainsKey(topic);
    }

    /// <summary>The next response published.</summary>
    public Task<(string Topic, byte[] Payload, byte[] CorrelationData)> NextResponseAsync(CancellationToken cancellationToken) =>
        _responses.Reader.ReadAsync(cancellationToken).AsTask();

    /// <summary>The topics subscribed to.</summary>
    public IReadOnlyList<string> Subscriptions
    {
        get
        {
            lock (_handlers)
                return [.. _handlers.Keys];
        }
    }

    /// <summary>Plays the broker delivering <paramref name="payload"/> on <paramref name="topic"/>.</summary>
    public Task DeliverAsync(string topic, byte[] payload)
    {
        Func<ReadOnlySequence<byte>, Task>? handler;
        lock (_handlers)
            _handlers.TryGetValue(topic, out handler);
        return handler?.Invoke(new ReadOnlySequence<byte>(payload)) ?? throw new InvalidOperationException($"Nobody subscribed to {topic}.");
    }

    /// <summary>The next message published on a topic of its own (not a batch).</summary>
    public async Task<(string Topic, byte[] Payload, bool Retain)> NextMessageAsync(string topic)
    {
        while (true)
        {
            var message = await _messages.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);
            if (message.Topic == topic)
                return message;
        }
    }

    public Task PublishAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record("events", batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq);
        _events.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    public Task PublishLiveAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record("live", batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq);
        _live.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    public Task CloseAsync(CancellationToken cancellationToken)
    {
        ClosedCleanly = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        _closed.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The next batch of readings the gateway publishes.</summary>
    public Task<TelemetryBatch> NextPublishedAsync() => _published.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    /// <summary>The next batch of events the gateway publishes.</summary>
    public Task<EventBatch> NextEventsAsync() => _events.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    /// <summary>The next live values the gateway publishes.</summary>
    public Task<TelemetryBatch> NextLiveAsync() => _live.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    /// <summary>True when a batch of readings was published and not yet taken by <see cref="NextPublishedAsync"/>.</summary>
    public bool TryTakePublished(out TelemetryBatch? batch) => _published.Reader.TryRead(out batch);

    public bool TryTakeLive(out TelemetryBatch? batch) => _live.Reader.TryRead(out batch);

    public void Ack(TelemetryBatch batch, AckStatus status = AckStatus.Persisted, string? reason = null) =>
        _acks.Writer.TryWrite(new DeliveryAck(
            batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq, status,
            status == AckStatus.Persisted ? batch.Records.Count : 0, 0, reason));

    public void Ack(EventBatch batch) =>
        _acks.Writer.TryWrite(new DeliveryAck(batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq, AckStatus.Persisted, batch.Records.Count, 0));

    public void Ack(DeliveryAck ack) => _acks.Writer.TryWrite(ack);

    /// <summary>Simulates a lost connection.</summary>
    public void Drop()
    {
        if (!_closed.IsCancellationRequested)
            _closed.Cancel();
        _acks.Writer.TryComplete();
    }

    private void Record(string topic, string stream, long first, long last)
    {
        lock (_gate)
            _log.Add((topic, stream, first, last));
    }
}
