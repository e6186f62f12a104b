using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>
/// Stores the OTA status reports the MQTT ingest received in their source's lane of the ingest's
/// <see cref="SourceLanes"/>, behind that source's earlier telemetry, events and reports, and acknowledges each
/// delivery only once its report is durable (or refused by the inbox's bound, or failed to store, as logged). Reports
/// of different sources are stored at the same time, so a store that groups queued writes commits them together.
/// </summary>
internal sealed partial class OtaStatusIngest(SourceLanes lanes, OtaStatusInbox inbox, ILogger logger)
{
    /// <summary>
    /// Queues <paramref name="report"/> from <paramref name="source"/>; <paramref name="acknowledge"/> runs once it is
    /// stored, refused or failed. Waits while the source's lane is full, which slows the broker's delivery.
    /// </summary>
    public ValueTask EnqueueAsync(string source, string topic, OtaStatusReport report, Func<CancellationToken, Task> acknowledge, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(acknowledge);
        return lanes.EnqueueAsync(source, () => StoreAsync(source, topic, report, acknowledge, cancellationToken), cancellationToken);
    }

    private async Task StoreAsync(string source, string topic, OtaStatusReport report, Func<CancellationToken, Task> acknowledge, CancellationToken cancellationToken)
    {
        try
        {
            if (!await inbox.PostAsync(source, report, cancellationToken).ConfigureAwait(false))
                LogOtaStatusDropped(logger, topic, inbox.Capacity, inbox.Refused);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogOtaStatusNotStored(logger, topic, report.CampaignId, report.Target, report.Sequence, exception);
        }

        // Stopping: the delivery stays unacknowledged, as any message this node has not finished with.
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // A refused or unstored report is acknowledged all the same: the installer's next report carries its state,
            // whereas a redelivery would meet the same full inbox or failing store.
            await acknowledge(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogAcknowledgementLost(logger, topic, report.CampaignId, report.Target, report.Sequence, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA status on {Topic} refused: expected fewer than {Capacity} reports waiting for the campaign leader, found that many ({Refused} refused by this node so far); the installer's next report carries its state")]
    private static partial void LogOtaStatusDropped(ILogger logger, string topic, int capacity, long refused);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA status on {Topic} (campaign {Campaign}, {Target}, report {Sequence}) could not be stored; the installer's next report carries its state")]
    private static partial void LogOtaStatusNotStored(ILogger logger, string topic, string campaign, string target, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA status on {Topic} (campaign {Campaign}, {Target}, report {Sequence}) was handled but its delivery could not be acknowledged to the broker")]
    private static partial void LogAcknowledgementLost(ILogger logger, string topic, string campaign, string target, long sequence, Exception exception);
}
