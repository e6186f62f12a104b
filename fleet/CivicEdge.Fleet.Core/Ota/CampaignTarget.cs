namespace CivicEdge.Fleet.Core.Ota;

/// <summary>A device a campaign updates, as the ledger query found it.</summary>
/// <param name="Device">Its unified device code.</param>
/// <param name="Addressee">Who offers go to: its gateway, or the device itself when it has its own uplink.</param>
/// <param name="RunningVersion">The version it ran when it joined the campaign: what a rollback returns it to.</param>
public sealed record CampaignTarget(string Device, string Addressee, string RunningVersion)
{
    /// <summary>Where the ledger says it is; null when it has no latitude and longitude.</summary>
    public GeoPoint? Location { get; init; }
}
