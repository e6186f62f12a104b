using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>Puts an OTA offer on the wire: <c>civic/v1/{addressee}/ota</c>, QoS 1.</summary>
public interface IOtaOfferPublisher
{
    /// <summary>Publishes <paramref name="offer"/> to <paramref name="addressee"/>; false when the broker cannot be reached now (the campaign sends it again).</summary>
    Task<bool> PublishOfferAsync(string addressee, OtaOffer offer, CancellationToken cancellationToken);
}
