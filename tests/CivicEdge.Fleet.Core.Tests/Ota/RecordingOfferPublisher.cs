using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>Keeps every offer published, with its addressee; refuses them all while <see cref="Offline"/>.</summary>
internal sealed class RecordingOfferPublisher : IOtaOfferPublisher
{
    public List<(string Addressee, OtaOffer Offer)> Published { get; } = [];

    public bool Offline { get; set; }

    public Task<bool> PublishOfferAsync(string addressee, OtaOffer offer, CancellationToken cancellationToken)
    {
        if (Offline)
            return Task.FromResult(false);
        Published.Add((addressee, offer));
        return Task.FromResult(true);
    }
}
