using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Ota;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// The single-leader job that moves OTA campaigns on every <see cref="OtaOptions.CampaignStepInterval"/>: one node
/// leads it (PostgreSQL advisory lock; the one node on LiteDB), so each offer goes out once and each wave is judged once.
/// </summary>
internal sealed partial class CampaignScheduler(
    CampaignRunner runner,
    IOptions<OtaOptions> options,
    ILeaderElection election,
    TimeProvider timeProvider,
    ILogger<CampaignScheduler> logger) : LeaderService(election, timeProvider, logger)
{
    protected override string Job => "ota-campaigns";

    protected override async Task LeadAsync(CancellationToken leading)
    {
        while (true)
        {
            var step = await runner.StepAsync(leading).ConfigureAwait(false);
            if (step.ReportsApplied + step.ReportsDropped + step.Joined + step.OffersSent + step.Conflicts > 0)
                LogStepped(logger, step.Campaigns, step.ReportsApplied, step.ReportsIgnored, step.ReportsDropped, step.Joined, step.OffersSent, step.Conflicts);
            await Task.Delay(options.Value.CampaignStepInterval, TimeProvider, leading).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA campaigns stepped: {Campaigns} active, {Applied} reports applied, {Ignored} ignored, {Dropped} dropped for no active campaign, {Joined} devices joined, {Offers} offers sent, {Conflicts} changed meanwhile")]
    private static partial void LogStepped(ILogger logger, int campaigns, int applied, int ignored, int dropped, int joined, int offers, int conflicts);
}
