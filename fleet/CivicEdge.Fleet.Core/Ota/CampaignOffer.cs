namespace CivicEdge.Fleet.Core.Ota;

/// <summary>An offer the campaign wants sent now: to <paramref name="Addressee"/>, for <paramref name="Device"/>, as attempt <paramref name="Attempt"/>.</summary>
public sealed record CampaignOffer(string Device, string Addressee, int Attempt);
