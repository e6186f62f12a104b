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
    private readonly CancellationTokenSource _closed = new();
    private readonly Channel<(string Topic, byte[] Payload, bool Retain)> _messages = Channel.CreateUnbounded<(string, byte[], bool)>();
    private readonly Dictionary<string, Func<ReadOnlySequence<byte>, Task>> _handlers = new(StringComparer.Ordinal);

    public ChannelReader<DeliveryAck> Acks => _acks.Reader;

    public CancellationToken Closed => _closed.Token;

    public bool ClosedCleanly { get; private set; }

    public Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>The next batch the gateway publishes.</summary>
    public Task<TelemetryBatch> NextPublishedAsync() => _published.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    /// <summary>True when a batch was published and not yet taken by <see cref="NextPublishedAsync"/>.</summary>
    public bool TryTakePublished(out TelemetryBatch? batch) => _published.Reader.TryRead(out batch);

    public void Ack(TelemetryBatch batch, AckStatus status = AckStatus.Persisted, string? reason = null) =>
        _acks.Writer.TryWrite(new DeliveryAck(
            batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq, status,
            status == AckStatus.Persisted ? batch.Records.Count : 0, 0, reason));

    public void Ack(DeliveryAck ack) => _acks.Writer.TryWrite(ack);

    /// <summary>Simulates a lost connection.</summary>
    public void Drop()
    {
        if (!_closed.IsCancellationRequested)
            _closed.Cancel();
        _acks.Writer.TryComplete();
    }
}
