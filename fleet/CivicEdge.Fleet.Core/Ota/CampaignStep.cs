namespace CivicEdge.Fleet.Core.Ota;

/// <summary>What one step of the campaign runner did.</summary>
/// <param name="Campaigns">Active campaigns looked at.</param>
/// <param name="ReportsApplied">Status reports that moved a device on (repeats and strays are not counted).</param>
/// <param name="ReportsIgnored">Status reports for an active campaign that changed nothing: repeats, and reports from a source that does not speak for the device.</param>
/// <param name="ReportsDropped">Status reports for a campaign that is not stored or has ended; deleted, since nothing will apply them.</param>
/// <param name="Joined">Devices that matched a campaign's scope since it began and joined its last wave.</param>
/// <param name="OffersSent">Offers published, first sends and re-sends.</param>
/// <param name="Conflicts">Campaigns another writer changed during the step; they are taken up again next step.</param>
public sealed record CampaignStep(int Campaigns, int ReportsApplied, int ReportsIgnored, int ReportsDropped, int Joined, int OffersSent, int Conflicts);
