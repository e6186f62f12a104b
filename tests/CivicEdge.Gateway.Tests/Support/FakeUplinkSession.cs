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

    public ChannelReader<DeliveryAck> Acks => _acks.Reader;

    public CancellationToken Closed => _closed.Token;

    public bool ClosedCleanly { get; private set; }

    public Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _published.Writer.TryWrite(batch);
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
