namespace CivicEdge.Fleet.Core.Ota;

/// <summary>What one step of the campaign runner did.</summary>
/// <param name="Campaigns">Active campaigns looked at.</param>
/// <param name="ReportsApplied">Status reports that moved a device on (repeats and strays are not counted).</param>
/// <param name="ReportsIgnored">Status reports for no active campaign, or repeats.</param>
/// <param name="Joined">Devices that matched a campaign's scope since it began and joined its last wave.</param>
/// <param name="OffersSent">Offers published, first sends and re-sends.</param>
/// <param name="Conflicts">Campaigns another writer changed during the step; they are taken up again next step.</param>
public sealed record CampaignStep(int Campaigns, int ReportsApplied, int ReportsIgnored, int Joined, int OffersSent, int Conflicts);
