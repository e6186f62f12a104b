using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Where received OTA status reports wait until the campaign leader applies them. Any fleet node appends what its MQTT
/// ingest received; the leader reads them, applies them, writes the campaign, and only then deletes them, so a report
/// outlives a crash of the node that received it and reaches the leader whichever node took it in. One contract,
/// several engines, each running the same contract tests.
/// </summary>
public interface IOtaStatusStore
{
    /// <summary>
    /// Appends a report as received from <paramref name="source"/>, unless <paramref name="capacity"/> reports wait already.
    /// </summary>
    /// <returns>True when it is durable; false when refused for lack of room (nothing was stored).</returns>
    Task<bool> TryAppendOtaStatusAsync(string source, OtaStatusReport report, DateTimeOffset receivedAt, int capacity, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> waiting reports, oldest first.</summary>
    Task<IReadOnlyList<PendingOtaStatus>> ReadPendingOtaStatusAsync(int limit, CancellationToken cancellationToken);

    /// <summary>How many reports wait.</summary>
    Task<long> CountPendingOtaStatusAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the reports with these ids (applied or dropped); ids no longer stored are no error.</summary>
    Task DeleteOtaStatusAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}
