namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Which artifacts a device may download with its own credential: those a live campaign (not cancelled, not completed)
/// offers to it, or, for a gateway, to a device it relays updates to (whose addressee it is). A paused or halted
/// campaign still counts, so that updates under way finish; a device may fetch its artifact before its wave comes.
/// </summary>
public sealed class OfferedArtifacts(ICampaignStore campaigns)
{
    /// <summary>Null when <paramref name="device"/> may download <paramref name="artifactId"/>; otherwise why not, for the caller and the audit log.</summary>
    public async Task<string?> RefusalAsync(string device, string artifactId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(artifactId);
        var live = (await campaigns.ListCampaignsAsync(cancellationToken).ConfigureAwait(false))
            .Where(stored => stored.Campaign.State is not (CampaignState.Cancelled or CampaignState.Completed))
            .ToList();
        var offering = live.Where(stored => string.Equals(stored.Campaign.Manifest.ArtifactId, artifactId, StringComparison.Ordinal)).ToList();
        if (offering.Any(stored => stored.Campaign.Devices.Any(d => d.Target.Device == device || d.Target.Addressee == device)))
            return null;
        return offering.Count == 0
            ? $"no running, paused or halted campaign offers artifact '{artifactId}' (device {device} downloads only what a campaign offers it)"
            : $"artifact '{artifactId}' is offered by campaign {string.Join(", ", offering.Select(stored => stored.Id))}, neither to {device} nor to a device behind it";
    }
}
