using System.Buffers;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Uplink;

/// <summary>One live connection to the fleet: batches go out, the fleet's acknowledgements come back.</summary>
public interface IUplinkSession : IAsyncDisposable
{
    /// <summary>The fleet's acknowledgements for this gateway, in arrival order.</summary>
    ChannelReader<DeliveryAck> Acks { get; }

    /// <summary>Cancelled when the connection is lost.</summary>
    CancellationToken Closed { get; }

    /// <summary>
    /// Sends a batch of readings at least once (MQTT QoS 1) on <see cref="Topics.Telemetry"/>. Completing only means
    /// the broker has it; the records stay in the outbox until a <see cref="DeliveryAck"/> arrives. Throws when the
    /// connection is lost.
    /// </summary>
    Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes <paramref name="payload"/> (UTF-8 JSON) on one of the gateway's own topics at least once, retained when
    /// <paramref name="retain"/>: for state beside the outbox (twin reported state, health) where only the newest matters.
    /// </summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to <paramref name="topic"/> (an exact topic, QoS 1) for the rest of the session; every message on it,
    /// retained ones included, goes to <paramref name="handler"/>, one at a time in arrival order.
    /// </summary>
    Task SubscribeAsync(string topic, Func<ReadOnlySequence<byte>, Task> handler, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to <paramref name="topic"/> (an exact topic, QoS 1) for requests: every message goes to
    /// <paramref name="handler"/> with its MQTT 5 response topic and correlation data, one at a time in arrival order.
    /// </summary>
    Task SubscribeRequestsAsync(string topic, Func<UplinkRequest, Task> handler, CancellationToken cancellationToken);

    /// <summary>Publishes a response (UTF-8 JSON, QoS 1) on <paramref name="topic"/>, echoing <paramref name="correlationData"/>.</summary>
    Task PublishResponseAsync(string topic, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> correlationData, CancellationToken cancellationToken);
    /// <summary>Sends a batch of events at least once (MQTT QoS 1) on <see cref="Topics.Events"/>, acknowledged like readings.</summary>
    Task PublishAsync(EventBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Sends the newest readings at most once (MQTT QoS 0) on <see cref="Topics.Live"/>: current values for the fleet's
    /// display while older records are still being delivered; never stored by the fleet, never acknowledged.
    /// </summary>
    Task PublishLiveAsync(TelemetryBatch batch, CancellationToken cancellationToken);

    /// <summary>Announces the gateway offline and disconnects cleanly (a clean disconnect does not fire the last will).</summary>
    Task CloseAsync(CancellationToken cancellationToken);
}
