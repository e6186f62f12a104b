using System.Collections.Concurrent;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// What one simulated gateway does with the fleet's OTA offers, following the contract the real gateway's relay keeps
/// (<see cref="OtaOffer"/>, <see cref="OtaStatusReport"/>): each (campaign, target, attempt) is taken up once and a
/// repeat is answered with its latest report, numbered as it was; an offer past its deadline, for a device this gateway
/// does not run, of the wrong kind, signed by an untrusted key or not fitting the device is refused with a
/// <c>failed</c> report saying why. A taken offer reports downloading → verified (the payload fetched once per gateway,
/// <see cref="GatewayPayloadCache"/>) → staged (fed to the device over the modelled local link, one device at a time by
/// default) → rebooting → confirmed on the new version, or rolledBack on the old one for a device the
/// <see cref="OtaFailurePlan"/> chose. The gateway's own software is not simulated: an offer for the gateway itself is
/// refused.
/// </summary>
internal sealed class SimulatedInstaller
{
    private readonly string _gatewayId;
    private readonly LoadOptions _options;
    private readonly LoadOtaOptions _ota;
    private readonly OtaVerifier _verifier;
    private readonly OtaFailurePlan _failures;
    private readonly OtaCounters _counters;
    private readonly GatewayPayloadCache _payloads;
    private readonly HashSet<string> _devices;
    private readonly ConcurrentDictionary<string, string> _versions;
    private readonly Func<OtaStatusReport, CancellationToken, Task> _send;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _bus;
    private readonly ConcurrentDictionary<(string Campaign, string Target, int Attempt), OfferProgress> _offers = new();
    private readonly ConcurrentDictionary<string, OfferProgress> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _updates = [];

    /// <param name="gatewayId">The gateway.</param>
    /// <param name="options">The run's devices: model and kind.</param>
    /// <param name="ota">Feed rate, failures, download settings.</param>
    /// <param name="verifier">The trusted signer keys.</param>
    /// <param name="failures">Which devices' new images fail.</param>
    /// <param name="counters">The run's OTA counters.</param>
    /// <param name="fleet">The fleet's REST API, authenticated as this gateway downloads.</param>
    /// <param name="devices">The devices behind this gateway.</param>
    /// <param name="versions">The version each device of the run runs, by device id; updated as devices confirm.</param>
    /// <param name="send">Publishes a report on the gateway's <c>ota-status</c> topic.</param>
    /// <param name="timeProvider">Paces the feeds and boots.</param>
    public SimulatedInstaller(
        string gatewayId, LoadOptions options, LoadOtaOptions ota, OtaVerifier verifier, OtaFailurePlan failures, OtaCounters counters,
        HttpClient fleet, IEnumerable<string> devices, ConcurrentDictionary<string, string> versions, Func<OtaStatusReport, CancellationToken, Task> send, TimeProvider timeProvider)
    {
        _gatewayId = gatewayId;
        _options = options;
        _ota = ota;
        _verifier = verifier;
        _failures = failures;
        _counters = counters;
        _payloads = new GatewayPayloadCache(fleet, ota.DownloadAttempts, counters);
        _devices = new HashSet<string>(devices, StringComparer.Ordinal);
        _versions = versions;
        _send = send;
        _time = timeProvider;
        _bus = new SemaphoreSlim(ota.FeedsAtOnce, ota.FeedsAtOnce);
    }

    /// <summary>Takes an offer's payload off the gateway's OTA topic; the update runs on after this returns.</summary>
    public async Task TakeAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        OtaOffer? offer;
        try
        {
            offer = JsonSerializer.Deserialize(payload.Span, OtaJson.Default.OtaOffer);
        }
        catch (JsonException)
        {
            // Nothing names the offer to report on; the fleet re-sends it and counts the device failed at its deadline.
            return;
        }

        if (offer is null || string.IsNullOrEmpty(offer.Target))
            return;

        var progress = new OfferProgress(offer);
        var held = _offers.GetOrAdd((offer.CampaignId, offer.Target, offer.Attempt), progress);
        if (!ReferenceEquals(held, progress))
        {
            _counters.Repeated();
            await held.RepeatAsync(this, cancellationToken).ConfigureAwait(false);
            return;
        }

        _counters.Offered();
        var refusal = Refusal(offer, out var manifest);
        if (refusal is not null)
        {
            await FailAsync(progress, refusal, cancellationToken).ConfigureAwait(false);
            return;
        }

        var running = _running.GetOrAdd(offer.Target, progress);
        if (!ReferenceEquals(running, progress))
        {
            await FailAsync(progress, $"expected no update in progress on '{offer.Target}', found {running.Offer.ArtifactId} of campaign {running.Offer.CampaignId} (attempt {running.Offer.Attempt})", cancellationToken).ConfigureAwait(false);
            return;
        }

        _updates.Add(Task.Run(() => UpdateAsync(progress, manifest!, cancellationToken), CancellationToken.None));
    }

    /// <summary>Waits for the updates under way, e.g. when the run stops.</summary>
    public async Task DrainAsync()
    {
        foreach (var update in _updates)
            await update.ConfigureAwait(false);
    }

    private string? Refusal(OtaOffer offer, out OtaManifest? manifest)
    {
        manifest = null;
        if (string.Equals(offer.Target, _gatewayId, StringComparison.Ordinal))
            return $"updating the gateway's own software is not supported by the simulator: civicsim load updates the field devices behind {_gatewayId}";
        if (!_devices.Contains(offer.Target) || !_versions.TryGetValue(offer.Target, out var running))
            return $"expected a device behind {_gatewayId}, found no '{offer.Target}' among its {_devices.Count}";
        if (offer.Kind != ArtifactKind.Firmware)
            return $"expected a firmware artifact for field device '{offer.Target}', found kind {offer.Kind}";
        if (offer.Deadline < _time.GetUtcNow())
            return $"the offer expired at {offer.Deadline:u}";

        byte[] manifestBytes;
        try
        {
            manifestBytes = Convert.FromBase64String(offer.Manifest);
            manifest = JsonSerializer.Deserialize(manifestBytes, OtaJson.Default.OtaManifest);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return $"expected the offer's manifest as base64 JSON, found what does not read as one: {e.Message}";
        }

        if (manifest is null)
            return "expected a manifest in the offer, found null";
        var signed = _verifier.VerifyManifest(manifestBytes, manifest, offer.Signature);
        if (!signed.IsValid)
            return signed.Message;
        if (manifest.Version != offer.Version || manifest.Size != offer.Size || !string.Equals(manifest.Sha256, offer.Sha256, StringComparison.OrdinalIgnoreCase))
            return $"expected the offer to match its signed manifest (version {manifest.Version}, {manifest.Size} bytes, SHA-256 {manifest.Sha256}), found version {offer.Version}, {offer.Size} bytes, SHA-256 {offer.Sha256}";
        var fit = OtaVerifier.CheckFit(manifest, ArtifactKind.Firmware, _options.DeviceModel, running);
        return fit.IsValid ? null : $"'{offer.Target}': {fit.Message}";
    }

    private async Task UpdateAsync(OfferProgress progress, OtaManifest manifest, CancellationToken cancellationToken)
    {
        var offer = progress.Offer;
        try
        {
            await progress.ReportAsync(this, OtaPhase.Downloading, _payloads.ReceivedOf(manifest.Sha256), null, null, cancellationToken).ConfigureAwait(false);
            var fetched = await _payloads.FetchAsync(offer, manifest, cancellationToken).ConfigureAwait(false);
            if (fetched.Payload is not { } image)
            {
                await FailAsync(progress, fetched.Problem!, cancellationToken).ConfigureAwait(false);
                return;
            }

            await progress.ReportAsync(this, OtaPhase.Verified, image.LongLength, null, null, cancellationToken).ConfigureAwait(false);
            await _bus.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await FeedAsync(image.LongLength, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _bus.Release();
            }

            await progress.ReportAsync(this, OtaPhase.Staged, null, null, null, cancellationToken).ConfigureAwait(false);
            await progress.ReportAsync(this, OtaPhase.Rebooting, null, null, null, cancellationToken).ConfigureAwait(false);
            if (_ota.BootTime > TimeSpan.Zero)
                await Task.Delay(_ota.BootTime, _time, cancellationToken).ConfigureAwait(false);

            var old = _versions[offer.Target];
            if (_failures.Fails(offer.Target))
            {
                _counters.RolledBack();
                await progress.ReportAsync(this, OtaPhase.RolledBack, null, old, $"the new image {manifest.Version} failed its boot health check; the device went back to {old}", cancellationToken).ConfigureAwait(false);
                return;
            }

            _versions[offer.Target] = manifest.Version;
            _counters.Confirmed();
            await progress.ReportAsync(this, OtaPhase.Confirmed, null, manifest.Version, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The run is stopping; the fleet counts an update that did not end by its deadline as failed.
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection is gone: the report cannot go, and the fleet counts the device failed at its deadline.
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, OfferProgress>(offer.Target, progress));
        }
    }

    /// <summary>The time the local link takes to carry the image to the device, as the feed rate models it.</summary>
    private async Task FeedAsync(long bytes, CancellationToken cancellationToken)
    {
        if (_ota.FeedBytesPerSecond > 0)
            await Task.Delay(TimeSpan.FromSeconds((double)bytes / _ota.FeedBytesPerSecond), _time, cancellationToken).ConfigureAwait(false);
        _counters.Fed(bytes);
    }

    private async Task FailAsync(OfferProgress progress, string reason, CancellationToken cancellationToken)
    {
        _counters.Failed();
        await progress.ReportAsync(this, OtaPhase.Failed, null, null, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reports made on one offer, numbered from 1; the latest is sent again when the offer is repeated.</summary>
    private sealed class OfferProgress(OtaOffer offer)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private OtaStatusReport? _latest;

        public OtaOffer Offer { get; } = offer;

        public async Task ReportAsync(SimulatedInstaller installer, OtaPhase phase, long? bytes, string? runningVersion, string? reason, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _latest = new OtaStatusReport(Offer.CampaignId, Offer.Target, Offer.Attempt, (_latest?.Sequence ?? 0) + 1, phase, bytes, runningVersion, reason, installer._time.GetUtcNow());
                await installer._send(_latest, cancellationToken).ConfigureAwait(false);
                installer._counters.Reported();
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task RepeatAsync(SimulatedInstaller installer, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Before its first report the offer is being taken up: that report answers the repeat too.
                if (_latest is null)
                    return;
                await installer._send(_latest, cancellationToken).ConfigureAwait(false);
                installer._counters.Reported();
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
