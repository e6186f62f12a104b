using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Takes in the status reports a node's MQTT ingest received and makes each durable in the <see cref="IOtaStatusStore"/>
/// before the ingest returns (and the broker's delivery to this node is acknowledged), so the campaign leader applies
/// it whichever node received it, even after this one crashed. Bounded: past <see cref="Capacity"/> waiting reports a
/// report is refused and counted, and the installer's next report (or its repeat after a reconnect) carries the news
/// again, since every report says where the update stands as a whole.
/// </summary>
public sealed class OtaStatusInbox(IOtaStatusStore store, TimeProvider timeProvider, int capacity = 100_000)
{
    private long _refused;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "expected a capacity of at least 1");

    /// <summary>Reports this node refused because <see cref="Capacity"/> reports waited already.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Stores <paramref name="report"/>, received from <paramref name="source"/>; false (and counted) when full.</summary>
    /// <remarks>When the store fails the exception propagates: the report is not stored, and the ingest says so.</remarks>
    public async Task<bool> PostAsync(string source, OtaStatusReport report, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(report);
        if (await store.TryAppendOtaStatusAsync(source, report, timeProvider.GetUtcNow(), Capacity, cancellationToken).ConfigureAwait(false))
            return true;
        Interlocked.Increment(ref _refused);
        return false;
    }
}
