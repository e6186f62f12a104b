namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>A whole campaign run by the fleet over civicsim's gateways and devices.</summary>
/// <param name="Gateways">Simulated gateways.</param>
/// <param name="Devices">Devices behind them, all in the campaign.</param>
/// <param name="ImageBytes">The firmware image.</param>
/// <param name="FeedBytesPerSecond">The modelled local bus of each gateway; 0 feeds at once.</param>
/// <param name="Waves">The campaign's waves.</param>
/// <param name="ConfirmedSeconds">From the campaign's creation to the last device confirming the new version.</param>
/// <param name="CompletedSeconds">From the campaign's creation to the fleet calling it completed (health windows passed).</param>
/// <param name="Succeeded">Devices the fleet counted a success.</param>
/// <param name="ServedBytes">Payload bytes the fleet served to the gateways.</param>
/// <param name="Downloads">Payloads downloaded in full (one per gateway is the aim).</param>
/// <param name="FedBytes">Bytes carried to devices over the modelled local links.</param>
/// <param name="Offers">Offers the gateways received, repeats included.</param>
/// <param name="Reports">Status reports the gateways sent.</param>
/// <param name="FleetCpuPercent">The fleet process's CPU over the campaign, in % of one core.</param>
/// <param name="FleetPeakResidentMegabytes">The fleet process's peak resident memory (VmHWM).</param>
internal sealed record OtaRolloutFigures(
    int Gateways,
    int Devices,
    long ImageBytes,
    long FeedBytesPerSecond,
    string Waves,
    double ConfirmedSeconds,
    double CompletedSeconds,
    int Succeeded,
    long ServedBytes,
    long Downloads,
    long FedBytes,
    long Offers,
    long Reports,
    double FleetCpuPercent,
    double FleetPeakResidentMegabytes);
