using System.Globalization;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// A rollout of one artifact over the devices a ledger query found, in waves: the planner and its state, pure (no I/O,
/// no clock: every step is given the time), so that a scheduler persists it, drives it and publishes what it asks for.
/// </summary>
/// <remarks>
/// <para>A device succeeds only when it confirmed the new version, the fleet sees it report that version, and it stays
/// healthy through the health window. A device that does not confirm within the timeout, reports failure or rollback,
/// or comes back on another version, fails.</para>
/// <para>A wave passes when all its devices are final and no more than the threshold failed; the next wave starts after
/// the soak time. Once a wave's failures pass the threshold the campaign halts at once, whatever its other devices
/// still do, and says why. Offers go out only in a maintenance window (and, with a daylight window, only in daylight at
/// the device's place), within the download caps.</para>
/// </remarks>
public sealed class Campaign
{
    private readonly List<CampaignDevice> _devices = [];
    private readonly Dictionary<string, CampaignDevice> _byCode = new(StringComparer.Ordinal);

    private Campaign(string id, OtaManifest manifest, CampaignSettings settings, DateTimeOffset createdAt)
    {
        Id = id;
        Manifest = manifest;
        Settings = settings;
        CreatedAt = createdAt;
        WaveStartedAt = createdAt;
    }

    public string Id { get; }

    /// <summary>What is rolled out.</summary>
    public OtaManifest Manifest { get; }

    public CampaignSettings Settings { get; }

    public DateTimeOffset CreatedAt { get; }

    public CampaignState State { get; private set; }

    /// <summary>The wave being offered (or soaked), from 0.</summary>
    public int CurrentWave { get; private set; }

    public DateTimeOffset WaveStartedAt { get; private set; }

    /// <summary>When the current wave passed; the next starts a soak time later.</summary>
    public DateTimeOffset? WavePassedAt { get; private set; }

    /// <summary>Why it halted, was cancelled or completed, for people.</summary>
    public string? Reason { get; private set; }

    public IReadOnlyList<CampaignDevice> Devices => _devices;

    /// <summary>Plans the waves over <paramref name="targets"/>; the settings must be valid (<see cref="CampaignSettings.Problems"/>).</summary>
    /// <remarks>
    /// Targets are dealt round-robin across their gateways, each gateway's in code order, so that the canary and every
    /// wave reach as many gateways as they can: a fault that depends on the gateway shows early, and no gateway carries a wave alone.
    /// </remarks>
    public static Campaign Plan(string id, OtaManifest manifest, CampaignSettings settings, IEnumerable<CampaignTarget> targets, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(targets);
        if (settings.Problems() is [var first, ..])
            throw new ArgumentException($"The campaign settings are not valid: {first}", nameof(settings));

        var campaign = new Campaign(id, manifest, settings, now);
        var ordered = Interleave(targets.DistinctBy(t => t.Device, StringComparer.Ordinal).ToList());
        var reached = settings.Waves.Select(w => w.CumulativeOf(ordered.Count)).ToList();
        for (var i = 0; i < ordered.Count; i++)
            campaign.Add(new CampaignDevice(ordered[i], reached.FindIndex(cumulative => i < cumulative)));
        return campaign;
    }

    /// <summary>Takes up a campaign from what a store kept, exactly where it stood.</summary>
    /// <exception cref="InvalidDataException">The snapshot does not describe a campaign: it names what is wrong.</exception>
    public static Campaign Restore(CampaignSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (string.IsNullOrEmpty(snapshot.Id))
            throw new InvalidDataException("campaign id: expected a non-empty id, found none");
        if (snapshot.Settings.Problems() is [var problem, ..])
            throw new InvalidDataException($"campaign {snapshot.Id}: the stored settings are not valid: {problem}");
        if (snapshot.CurrentWave < 0 || snapshot.CurrentWave >= snapshot.Settings.Waves.Count)
            throw new InvalidDataException($"campaign {snapshot.Id}: expected the current wave from 0 to {snapshot.Settings.Waves.Count - 1}, found {snapshot.CurrentWave}");

        var campaign = new Campaign(snapshot.Id, snapshot.Manifest, snapshot.Settings, snapshot.CreatedAt)
        {
            State = snapshot.State,
            CurrentWave = snapshot.CurrentWave,
            WaveStartedAt = snapshot.WaveStartedAt,
            WavePassedAt = snapshot.WavePassedAt,
            Reason = snapshot.Reason,
        };
        foreach (var device in snapshot.Devices)
        {
            if (campaign._byCode.ContainsKey(device.Target.Device))
                throw new InvalidDataException($"campaign {snapshot.Id}: expected each device once, found {device.Target.Device} twice");
            if (device.Wave < 0 || device.Wave >= snapshot.Settings.Waves.Count)
                throw new InvalidDataException($"campaign {snapshot.Id}: expected device {device.Target.Device} in a wave from 0 to {snapshot.Settings.Waves.Count - 1}, found {device.Wave}");
            campaign.Add(new CampaignDevice(device.Target, device.Wave)
            {
                State = device.State,
                Attempt = device.Attempt,
                LastSequence = device.LastSequence,
                OfferedAt = device.OfferedAt,
                ConfirmedAt = device.ConfirmedAt,
                FinishedAt = device.FinishedAt,
                BytesReceived = device.BytesReceived,
                RunningVersion = device.RunningVersion,
                Reason = device.Reason,
            });
        }
        return campaign;
    }

    /// <summary>Everything the campaign knows, for a store.</summary>
    public CampaignSnapshot Snapshot() => new(
        Id, Manifest, Settings, CreatedAt, State, CurrentWave, WaveStartedAt, WavePassedAt, Reason,
        _devices.Select(d => new CampaignDeviceSnapshot(
            d.Target, d.Wave, d.State, d.Attempt, d.LastSequence, d.OfferedAt, d.ConfirmedAt, d.FinishedAt, d.BytesReceived, d.RunningVersion, d.Reason)).ToList());

    /// <summary>
    /// Moves the campaign on at <paramref name="now"/>: times out devices, judges confirmed ones by
    /// <paramref name="health"/>, passes or halts the current wave, starts the next after its soak, and returns the
    /// offers to send now.
    /// </summary>
    public IReadOnlyList<CampaignOffer> Advance(DateTimeOffset now, Func<string, DeviceHealthSample?> health)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (State is CampaignState.Cancelled)
            return [];

        foreach (var device in _devices)
            Judge(device, now, health);

        if (State is CampaignState.Running)
            MoveWaves(now);
        if (State is not CampaignState.Running || WavePassedAt is not null || !InWindow(now))
            return [];
        return Offer(now);
    }

    /// <summary>
    /// Applies an installer's report; a report for another campaign or attempt, one numbered at or below the last
    /// applied, or one for a device already final changes nothing (and returns false), so repeats are harmless.
    /// </summary>
    public bool Apply(OtaStatusReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.CampaignId != Id || !_byCode.TryGetValue(report.Target, out var device)
            || report.Attempt != device.Attempt || report.Sequence <= device.LastSequence || device.IsFinal)
            return false;

        device.LastSequence = report.Sequence;
        if (report.RunningVersion is not null)
            device.RunningVersion = report.RunningVersion;
        switch (report.Phase)
        {
            case OtaPhase.Downloading:
                device.BytesReceived = report.BytesReceived;
                break;
            case OtaPhase.Verified or OtaPhase.Staged or OtaPhase.Rebooting:
                device.State = CampaignDeviceState.Installing;
                break;
            case OtaPhase.Confirmed when IsNewVersion(report.RunningVersion):
                device.State = CampaignDeviceState.Confirmed;
                device.ConfirmedAt = now;
                break;
            case OtaPhase.Confirmed:
                device.Fail($"confirmed, but runs {report.RunningVersion ?? "an unnamed version"} instead of {Manifest.Version}", now);
                break;
            case OtaPhase.Failed:
                device.Fail($"failed: {report.Reason ?? "no reason given"}", now);
                break;
            case OtaPhase.RolledBack:
                device.Fail($"rolled back to {report.RunningVersion ?? "its previous version"}: {report.Reason ?? "no reason given"}", now);
                break;
        }
        return true;
    }

    /// <summary>
    /// Adds devices that match the campaign's query now (new or changed since it began) to its last wave, and takes up
    /// the place the ledger gives now for devices still waiting, so a pole held for want of a location goes once it has one.
    /// </summary>
    /// <returns>How many joined.</returns>
    public int Join(IEnumerable<CampaignTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var joined = 0;
        foreach (var target in targets)
        {
            if (_byCode.TryGetValue(target.Device, out var known))
            {
                if (known.State == CampaignDeviceState.Pending && known.Target.Location != target.Location)
                    known.Target = known.Target with { Location = target.Location };
                continue;
            }
            Add(new CampaignDevice(target, Settings.Waves.Count - 1));
            joined++;
        }
        return joined;
    }

    public void Pause(string? reason)
    {
        RequireState("pause", CampaignState.Running);
        State = CampaignState.Paused;
        Reason = reason ?? "paused";
    }

    public void Resume()
    {
        RequireState("resume", CampaignState.Paused);
        State = CampaignState.Running;
        Reason = null;
    }

    public void Cancel(string? reason)
    {
        if (State is CampaignState.Cancelled or CampaignState.Completed)
            throw new InvalidOperationException($"Campaign {Id} is {Name(State)}; there is nothing to cancel.");
        State = CampaignState.Cancelled;
        Reason = reason ?? "cancelled";
    }

    /// <summary>
    /// Offers the update again to the devices that failed in the waves reached so far; a halted campaign runs again and
    /// its current wave is judged anew once they are final.
    /// </summary>
    /// <returns>How many devices will be offered again.</returns>
    public int RetryFailed()
    {
        if (State is CampaignState.Cancelled or CampaignState.Completed)
            throw new InvalidOperationException($"Campaign {Id} is {Name(State)}; its failed devices cannot be retried.");
        var retried = 0;
        foreach (var device in _devices.Where(d => d.State == CampaignDeviceState.Failed && d.Wave <= CurrentWave))
        {
            device.State = CampaignDeviceState.Pending;
            device.Reason = null;
            device.FinishedAt = null;
            device.ConfirmedAt = null;
            device.BytesReceived = null;
            retried++;
        }
        if (State is CampaignState.Halted)
        {
            State = CampaignState.Running;
            Reason = null;
        }
        return retried;
    }

    public IReadOnlyList<WaveProgress> Progress() =>
        Enumerable.Range(0, Settings.Waves.Count).Select(wave =>
        {
            var members = _devices.Where(d => d.Wave == wave).ToList();
            return new WaveProgress(
                wave,
                members.Count,
                members.Count(d => d.State == CampaignDeviceState.Pending),
                members.Count(d => d.State is CampaignDeviceState.Offered or CampaignDeviceState.Installing or CampaignDeviceState.Confirmed),
                members.Count(d => d.State == CampaignDeviceState.Succeeded),
                members.Count(d => d.State == CampaignDeviceState.Failed));
        }).ToList();

    private void Add(CampaignDevice device)
    {
        _devices.Add(device);
        _byCode.Add(device.Device, device);
    }

    private void Judge(CampaignDevice device, DateTimeOffset now, Func<string, DeviceHealthSample?> health)
    {
        switch (device.State)
        {
            case CampaignDeviceState.Offered or CampaignDeviceState.Installing when now - device.OfferedAt >= Settings.ConfirmTimeout:
                device.Fail($"did not confirm {Manifest.Version} within {Describe(Settings.ConfirmTimeout)} of the offer (last: {(device.State == CampaignDeviceState.Offered ? "downloading" : "installing")})", now);
                break;
            case CampaignDeviceState.Confirmed:
                var sample = health(device.Device);
                if (sample?.RunningVersion is { } seen && !IsNewVersion(seen))
                    device.Fail($"came back on {seen} instead of {Manifest.Version}", now);
                else if (now - device.ConfirmedAt >= Settings.HealthWindow)
                {
                    if (sample is { Healthy: true } && IsNewVersion(sample.RunningVersion))
                    {
                        device.State = CampaignDeviceState.Succeeded;
                        device.FinishedAt = now;
                    }
                    else
                    {
                        device.Fail(sample is null || sample.RunningVersion is null
                            ? $"not seen on {Manifest.Version} by the end of its {Describe(Settings.HealthWindow)} health window"
                            : $"not healthy by the end of its {Describe(Settings.HealthWindow)} health window on {Manifest.Version}", now);
                    }
                }
                break;
        }
    }

    private void MoveWaves(DateTimeOffset now)
    {
        while (true)
        {
            var members = _devices.Where(d => d.Wave == CurrentWave).ToList();
            var failed = members.Where(d => d.State == CampaignDeviceState.Failed).ToList();

            // Halted as soon as the failures pass the threshold: waiting for the rest of the wave cannot make it pass.
            if (members.Count > 0 && (double)failed.Count / members.Count > Settings.FailureThreshold)
            {
                State = CampaignState.Halted;
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"wave {CurrentWave + 1} of {Settings.Waves.Count} ({Settings.Waves[CurrentWave]}): {failed.Count} of {members.Count} devices failed ({100.0 * failed.Count / members.Count:0.#} %), above the threshold of {100 * Settings.FailureThreshold:0.#} %; ")
                    + string.Join("; ", failed.Take(5).Select(d => $"{d.Device}: {d.Reason}"))
                    + (failed.Count > 5 ? $"; and {failed.Count - 5} more" : "");
                return;
            }
            if (members.Any(d => !d.IsFinal))
                return;

            if (WavePassedAt is null)
                WavePassedAt = now;
            if (CurrentWave == Settings.Waves.Count - 1)
            {
                State = CampaignState.Completed;
                Reason = $"every wave passed: {_devices.Count(d => d.State == CampaignDeviceState.Succeeded)} of {_devices.Count} devices run {Manifest.Version}";
                return;
            }
            // An empty wave (1 % and 2 % of ten devices are both one device) has nothing to soak.
            if (members.Count > 0 && now - WavePassedAt < Settings.SoakTime)
                return;

            CurrentWave++;
            WaveStartedAt = now;
            WavePassedAt = null;
        }
    }

    private List<CampaignOffer> Offer(DateTimeOffset now)
    {
        var downloading = _devices.Where(d => d.State == CampaignDeviceState.Offered).ToList();
        var total = downloading.Count;
        var perGateway = downloading.GroupBy(d => d.Target.Addressee, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var offers = new List<CampaignOffer>();
        foreach (var device in _devices.Where(d => d.Wave <= CurrentWave && d.State == CampaignDeviceState.Pending))
        {
            if (total >= Settings.MaxConcurrentDownloads)
                break;
            var atGateway = perGateway.GetValueOrDefault(device.Target.Addressee);
            if (atGateway >= Settings.MaxConcurrentPerGateway)
                continue;
            if (Settings.Daylight is { } daylight)
            {
                var check = daylight.Check(device.Target.Location ?? Settings.Location, now);
                device.Reason = check.HoldReason;
                if (!check.IsOpen)
                    continue;
            }

            device.State = CampaignDeviceState.Offered;
            device.Attempt++;
            device.LastSequence = 0;
            device.OfferedAt = now;
            perGateway[device.Target.Addressee] = atGateway + 1;
            total++;
            offers.Add(new CampaignOffer(device.Device, device.Target.Addressee, device.Attempt));
        }
        return offers;
    }

    private bool InWindow(DateTimeOffset now)
    {
        if (Settings.Windows.Count == 0)
            return true;
        var local = TimeOnly.FromTimeSpan((now.UtcDateTime + Settings.UtcOffset).TimeOfDay);
        return Settings.Windows.Any(window => window.Contains(local));
    }

    private bool IsNewVersion(string? version) =>
        version is not null && SemanticVersion.TryParse(version, out var running) && SemanticVersion.TryParse(Manifest.Version, out var target) && running == target;

    private void RequireState(string action, CampaignState expected)
    {
        if (State != expected)
            throw new InvalidOperationException($"Campaign {Id} is {Name(State)}; only a {Name(expected)} campaign can {action}.");
    }

    private static List<CampaignTarget> Interleave(List<CampaignTarget> targets)
    {
        var queues = targets
            .GroupBy(t => t.Addressee, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<CampaignTarget>(g.OrderBy(t => t.Device, StringComparer.Ordinal)))
            .ToList();
        var ordered = new List<CampaignTarget>(targets.Count);
        while (ordered.Count < targets.Count)
        {
            foreach (var queue in queues.Where(q => q.Count > 0))
                ordered.Add(queue.Dequeue());
        }
        return ordered;
    }

    private static string Name(CampaignState state) => state.ToString().ToLowerInvariant();

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0.#} s";
}
