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
    /// Sends a batch at least once (MQTT QoS 1). Completing only means the broker has it; the records stay in the
    /// outbox until a <see cref="DeliveryAck"/> arrives. Throws when the connection is lost.
    /// </summary>
    Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken);

    /// <summary>Announces the gateway offline and disconnects cleanly (a clean disconnect does not fire the last will).</summary>
    Task CloseAsync(CancellationToken cancellationToken);
}
