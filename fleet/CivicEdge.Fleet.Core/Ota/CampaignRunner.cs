using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Runs the fleet's campaigns: creates them over the devices their scope finds in the ledger, and at each step takes up
/// every active one from the store, applies the status reports waiting in the status store (whichever node received
/// them), lets matching devices join, feeds in what the fleet sees of versions and health, moves it on, writes it back
/// at the revision it read, then deletes the reports it applied and publishes the offers it asked for. One node runs
/// the steps (the leader); people's pause, resume, cancel and retry go through the same revision check from any node.
/// </summary>
/// <remarks>Steps run one at a time (the leader's loop); <see cref="ChangeAsync"/> may run beside them.</remarks>
public sealed class CampaignRunner(
    ICampaignStore campaigns,
    IArtifactStore artifacts,
    IDeviceLedgerStore ledger,
    IDeviceHealthSamples health,
    IOtaOfferPublisher publisher,
    IOtaStatusStore statuses,
    TimeProvider timeProvider)
{
    /// <summary>Where offers tell installers to download the payload, relative to the fleet's base address ('@' stays readable, RFC 3986 §3.3).</summary>
    public const string ArtifactsPath = "api/ota/artifacts";

    private const int ChangeAttempts = 5;

    /// <summary>When each offer (campaign, device, attempt) was last sent by this node.</summary>
    private readonly Dictionary<(string Campaign, string Device, int Attempt), DateTimeOffset> _sent = [];

    /// <summary>How long an offer the target has not answered waits before it is sent again (the offer contract: re-sent until reported on).</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most waiting reports one step reads; more wait for the next step, so a backlog never fills memory.</summary>
    public int ReportsPerStep { get; init; } = 10_000;

    /// <summary>
    /// Plans a campaign over the devices <paramref name="scope"/> finds now and stores it; <paramref name="tenant"/> is
    /// the tenant it belongs to and is confined to, null for every tenant.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No artifact <paramref name="artifactId"/> is stored.</exception>
    /// <exception cref="InvalidOperationException">A campaign with this id exists.</exception>
    public async Task<StoredCampaign> CreateAsync(
        string id, string artifactId, CampaignSettings settings, CampaignScope scope, string? tenant, string createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var artifact = await artifacts.FindArtifactAsync(artifactId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"artifactId: expected an uploaded artifact, found no '{artifactId}'");
        var targets = await ResolveAsync(scope, artifact.Manifest, tenant, cancellationToken).ConfigureAwait(false);
        var campaign = Campaign.Plan(id, artifact.Manifest, settings, targets, timeProvider.GetUtcNow());
        return await campaigns.AddCampaignAsync(campaign.Snapshot(), scope, tenant, createdBy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a person's change (pause, resume, cancel, retry) at the revision read, reading again if the scheduler wrote first.</summary>
    /// <exception cref="KeyNotFoundException">No campaign has this id.</exception>
    /// <exception cref="InvalidOperationException">The campaign's state does not allow the change; the message says why.</exception>
    public async Task<StoredCampaign> ChangeAsync(string id, Action<Campaign> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await campaigns.FindCampaignAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"No campaign '{id}' exists.");
            var campaign = Campaign.Restore(stored.Campaign);
            change(campaign);
            if (await campaigns.ReplaceCampaignAsync(campaign.Snapshot(), stored.Revision, cancellationToken).ConfigureAwait(false) is { } replaced)
                return replaced;
            if (attempt == ChangeAttempts)
                throw new InvalidOperationException($"Campaign {id} changed {ChangeAttempts} times while this change was applied; nothing was changed, try again.");
        }
    }

    /// <summary>One step over every active campaign (see the class summary).</summary>
    public async Task<CampaignStep> StepAsync(CancellationToken cancellationToken)
    {
        var pending = await statuses.ReadPendingOtaStatusAsync(ReportsPerStep, cancellationToken).ConfigureAwait(false);
        // In each device's own order: nodes append concurrently, and a report numbered below one applied changes nothing.
        var reports = pending
            .OrderBy(r => r.Report.Target, StringComparer.Ordinal).ThenBy(r => r.Report.Attempt).ThenBy(r => r.Report.Sequence).ThenBy(r => r.Id)
            .ToLookup(r => r.Report.CampaignId, StringComparer.Ordinal);
        var active = (await campaigns.ListCampaignsAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => c.Campaign.State is not (CampaignState.Cancelled or CampaignState.Completed))
            .ToList();
        var activeIds = active.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var stray = reports.Where(g => !activeIds.Contains(g.Key)).SelectMany(g => g).Select(r => r.Id).ToList();
        if (stray.Count > 0)
            await statuses.DeleteOtaStatusAsync(stray, cancellationToken).ConfigureAwait(false);
        int applied = 0, ignored = 0, joined = 0, sent = 0, conflicts = 0;

        foreach (var stored in active)
        {
            var before = JsonSerializer.Serialize(stored.Campaign, CampaignJson.Default.CampaignSnapshot);
            var campaign = Campaign.Restore(stored.Campaign);
            var now = timeProvider.GetUtcNow();
            var mine = reports[stored.Id].ToList();
            // Only the device's addressee speaks for it: a gateway cannot report on a device behind another one.
            var addressees = campaign.Devices.ToDictionary(d => d.Device, d => d.Target.Addressee, StringComparer.Ordinal);
            var appliedHere = mine.Count(received =>
                addressees.TryGetValue(received.Report.Target, out var addressee) && addressee == received.Source && campaign.Apply(received.Report, now));

            var artifact = await artifacts.FindArtifactAsync(campaign.Manifest.ArtifactId, cancellationToken).ConfigureAwait(false);
            if (artifact is null && campaign.State is CampaignState.Running)
                campaign.Pause($"artifact {campaign.Manifest.ArtifactId} is no longer stored; upload it again and resume");
            var joinedHere = campaign.State is CampaignState.Running
                ? campaign.Join(await ResolveAsync(stored.Scope, campaign.Manifest, stored.Tenant, cancellationToken).ConfigureAwait(false))
                : 0;
            var confirmed = campaign.Devices.Where(d => d.State == CampaignDeviceState.Confirmed).Select(d => d.Device).ToList();
            var samples = confirmed.Count > 0
                ? await health.SampleAsync(confirmed, cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, DeviceHealthSample>();
            var offers = campaign.Advance(now, code => samples.GetValueOrDefault(code));

            var after = campaign.Snapshot();
            var current = stored;
            if (JsonSerializer.Serialize(after, CampaignJson.Default.CampaignSnapshot) != before)
            {
                if (await campaigns.ReplaceCampaignAsync(after, stored.Revision, cancellationToken).ConfigureAwait(false) is not { } replaced)
                {
                    // A person changed it meanwhile: their change stands, and this step's reports stay stored for the next one.
                    conflicts++;
                    continue;
                }
                current = replaced;
            }
            // Only now that the campaign holds them: a crash before this line applies them again next step, which the
            // sequence numbers make harmless.
            if (mine.Count > 0)
                await statuses.DeleteOtaStatusAsync(mine.Select(r => r.Id).ToList(), cancellationToken).ConfigureAwait(false);
            await RecordVersionsAsync(stored.Campaign, campaign, cancellationToken).ConfigureAwait(false);
            applied += appliedHere;
            ignored += mine.Count - appliedHere;
            joined += joinedHere;
            if (artifact is not null && current.Campaign.State is CampaignState.Running)
                sent += await SendAsync(campaign, artifact, offers, now, cancellationToken).ConfigureAwait(false);
        }
        return new CampaignStep(active.Count, applied, ignored, stray.Count, joined, sent, conflicts);
    }

    /// <summary>
    /// The devices <paramref name="scope"/> finds that the artifact fits (its kind and one of its hardware models) and
    /// that do not run its version already; not those decommissioned or in maintenance, whose state a technician owns.
    /// </summary>
    public async Task<IReadOnlyList<CampaignTarget>> ResolveAsync(CampaignScope scope, OtaManifest manifest, string? tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(manifest);
        var query = scope.ToQuery() with { Tenants = tenant is null ? null : new HashSet<string>([tenant], StringComparer.Ordinal) };
        var devices = await ledger.QueryDevicesAsync(query, cancellationToken).ConfigureAwait(false);
        return devices
            .Where(d => d.State is not (LifecycleState.Decommissioned or LifecycleState.Maintenance))
            .Where(d => (d.Kind == DeviceKind.Gateway) == (manifest.Kind == ArtifactKind.Gateway))
            .Where(d => d.Model is not null && manifest.HardwareModels.Contains(d.Model, StringComparer.OrdinalIgnoreCase))
            .Where(d => !string.Equals(d.Firmware, manifest.Version, StringComparison.Ordinal))
            .Select(d => new CampaignTarget(d.Code, d.Kind == DeviceKind.Gateway ? d.Code : d.Gateway ?? d.Code, d.Firmware ?? "unknown")
            {
                Location = d.Location is { Latitude: { } latitude, Longitude: { } longitude } ? new GeoPoint(latitude, longitude) : null,
            })
            .ToList();
    }

    /// <summary>
    /// Writes the versions devices reported during the step into the ledger, so that the fleet (health, queries, the
    /// next campaign's scope) sees a device on what it runs: the new version, or the old one after a rollback.
    /// </summary>
    private async Task RecordVersionsAsync(CampaignSnapshot before, Campaign after, CancellationToken cancellationToken)
    {
        var known = before.Devices.ToDictionary(d => d.Target.Device, d => d.RunningVersion, StringComparer.Ordinal);
        foreach (var device in after.Devices.Where(d => d.RunningVersion is not null && known.GetValueOrDefault(d.Device) != d.RunningVersion))
        {
            // Two tries: a concurrent edit of the entry moves its revision on once; the next report writes it again anyway.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                if (await ledger.FindDeviceAsync(device.Device, cancellationToken).ConfigureAwait(false) is not { } entry
                    || entry.Firmware == device.RunningVersion
                    || await ledger.TryUpdateDeviceAsync(entry with { Firmware = device.RunningVersion, UpdatedAt = timeProvider.GetUtcNow(), Revision = entry.Revision + 1 }, entry.Revision, cancellationToken).ConfigureAwait(false))
                    break;
            }
        }
    }

    /// <summary>Sends the new offers, and again those still unanswered after <see cref="ResendInterval"/> (every one, on a node that just took the lead).</summary>
    private async Task<int> SendAsync(Campaign campaign, StoredArtifact artifact, IReadOnlyList<CampaignOffer> offers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unanswered = campaign.Devices.Where(d => d.State == CampaignDeviceState.Offered && d.LastSequence == 0).ToList();
        var waiting = unanswered.Select(d => (campaign.Id, d.Device, d.Attempt)).ToHashSet();
        foreach (var answered in _sent.Keys.Where(key => key.Campaign == campaign.Id && !waiting.Contains(key)).ToList())
            _sent.Remove(answered);

        var due = unanswered
            .Where(d => offers.Any(o => o.Device == d.Device)
                || !_sent.TryGetValue((campaign.Id, d.Device, d.Attempt), out var last) || now - last >= ResendInterval)
            .ToList();
        var sent = 0;
        foreach (var device in due)
        {
            var offer = new OtaOffer(
                campaign.Id,
                device.Device,
                device.Attempt,
                artifact.Id,
                campaign.Manifest.Kind,
                campaign.Manifest.Version,
                campaign.Manifest.Size,
                campaign.Manifest.Sha256,
                Convert.ToBase64String(artifact.ManifestBytes.Span),
                artifact.Signature,
                $"{ArtifactsPath}/{Uri.EscapeDataString(artifact.Id).Replace("%40", "@", StringComparison.Ordinal)}/payload",
                (device.OfferedAt ?? now) + campaign.Settings.ConfirmTimeout);
            if (await publisher.PublishOfferAsync(device.Target.Addressee, offer, cancellationToken).ConfigureAwait(false))
            {
                _sent[(campaign.Id, device.Device, device.Attempt)] = now;
                sent++;
            }
        }
        return sent;
    }
}
