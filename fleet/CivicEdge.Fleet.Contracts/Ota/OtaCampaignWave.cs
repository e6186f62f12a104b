namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>One wave of a campaign: <paramref name="Reach"/> is how far it takes the campaign (<c>10%</c> or a number of devices).</summary>
public sealed record OtaCampaignWave(int Number, string Reach, int Devices, int Pending, int InProgress, int Succeeded, int Failed);
