using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// Installs new versions of the gateway from the fleet's OTA offers (<see cref="Topics.Ota"/>): checks the offer's
/// signed manifest against the trusted keys and this box (kind, hardware model, minimum and newer version), downloads
/// the payload resumably, checks its size and SHA-256, unpacks it into the inactive slot, switches <c>current</c> and
/// exits for systemd to start the launcher again. A new version confirms after its health window; the launcher rolls
/// back one that does not. Every step is in the durable state file before it is reported, and reports are numbered
/// per offer (<see cref="OtaStatusReport.Sequence"/>), so a report lost to a power cut or an outage is sent again with
/// the same number when the uplink comes back, and the fleet applies it once.
/// </summary>
public sealed partial class SelfUpdateService : BackgroundService
{
    private static readonly TimeSpan RetryFirst = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryMost = TimeSpan.FromMinutes(2);

    private readonly SelfUpdateOptions _options;
    private readonly string _gatewayId;
    private readonly string _runningVersion;
    private readonly InstallLayout _layout;
    private readonly UpdateStateFile _stateFile;
    private readonly OtaVerifier _verifier;
    private readonly PayloadDownload _download;
    private readonly Uri _fleet;
    private readonly UplinkState _uplink;
    private readonly Func<string?> _unhealthyReason;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SelfUpdateService> _logger;
    private readonly Channel<bool> _work = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private UpdateState? _state;
    private bool _switchedHere;

    public SelfUpdateService(
        SelfUpdateOptions options,
        string gatewayId,
        string runningVersion,
        OtaVerifier verifier,
        HttpClient fleetClient,
        UplinkState uplink,
        Func<string?> unhealthyReason,
        IHostApplicationLifetime lifetime,
        TimeProvider timeProvider,
        ILogger<SelfUpdateService> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        ArgumentException.ThrowIfNullOrEmpty(runningVersion);
        ArgumentNullException.ThrowIfNull(fleetClient);
        _gatewayId = gatewayId;
        _runningVersion = runningVersion;
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _uplink = uplink ?? throw new ArgumentNullException(nameof(uplink));
        _unhealthyReason = unhealthyReason ?? throw new ArgumentNullException(nameof(unhealthyReason));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _layout = new InstallLayout(options.InstallRoot ?? throw new ArgumentException("SelfUpdate:InstallRoot is required", nameof(options)));
        _stateFile = new UpdateStateFile(_layout.StateFile);
        _fleet = fleetClient.BaseAddress ?? new Uri(options.FleetUrl);
        _download = new PayloadDownload(fleetClient, timeProvider);
    }

    /// <summary>The state as last written; for tests and diagnostics.</summary>
    public UpdateState? State => _state;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
            return Task.CompletedTask;

        // Read before the first connection, so that a report still owed (the launcher's rollback) goes out on it.
        try
        {
            _state = _stateFile.Read();
        }
        catch (InvalidDataException ex)
        {
            // A state file nobody can read must not stop the gateway; it is set aside for a person to look at.
            LogStateUnreadable(_logger, ex.Message);
            File.Move(_stateFile.Path, _stateFile.Path + ".unreadable", overwrite: true);
        }
        if (_state is not null)
            LogResumed(_logger, _state.ArtifactId, UpdateState.StepName(_state.Step), _runningVersion);
        _work.Writer.TryWrite(true);
        _uplink.OnConnected(OnConnectedAsync);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {

        try
        {
            await foreach (var _ in _work.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_state is { IsFinal: false } state)
                    await AdvanceAsync(state, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AdvanceAsync(UpdateState state, CancellationToken cancellationToken)
    {
        if (_switchedHere)
            return;
        if (state.Step is UpdateStep.Switched or UpdateStep.Trial)
        {
            await TrialAsync(state, cancellationToken).ConfigureAwait(false);
            return;
        }

        var delay = RetryFirst;
        while (!cancellationToken.IsCancellationRequested && _state is { IsFinal: false, Step: < UpdateStep.Switched } current)
        {
            if (_timeProvider.GetUtcNow().ToUnixTimeSeconds() > current.Deadline)
            {
                await SaveAsync(current with { Step = UpdateStep.Failed, Reason = $"the offer expired at {DateTimeOffset.FromUnixTimeSeconds(current.Deadline):u} before the update was staged" }, report: true, cancellationToken).ConfigureAwait(false);
                return;
            }
            try
            {
                await StepAsync(current, cancellationToken).ConfigureAwait(false);
                delay = RetryFirst;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(_logger, current.ArtifactId, UpdateState.StepName(current.Step), ex.Message, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RetryMost.Ticks));
            }
        }
    }

    private async Task StepAsync(UpdateState state, CancellationToken cancellationToken)
    {
        switch (state.Step)
        {
            case UpdateStep.Downloading:
                var reportEvery = Math.Max(state.Size / 10, 1);
                var reportedBytes = 0L;
                await _download.RunAsync(
                    new Uri(_fleet, state.DownloadPath),
                    _layout.PartialPayload,
                    state.Size,
                    state.ETag,
                    _options.MaxBytesPerSecond,
                    async (etag, bytes) =>
                    {
                        // A new entity tag is saved at once (it decides whether the partial file is resumed);
                        // progress is reported every tenth of the payload.
                        var current = _state!;
                        if (etag != current.ETag)
                            await SaveAsync(current with { ETag = etag }, report: false, cancellationToken).ConfigureAwait(false);
                        if (bytes - reportedBytes >= reportEvery && bytes < state.Size)
                        {
                            reportedBytes = bytes;
                            await SaveAsync(_state!, report: true, cancellationToken, bytes).ConfigureAwait(false);
                            KillPoint.Reached("downloading");
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
                await SaveAsync(_state! with { Step = UpdateStep.Downloaded }, report: false, cancellationToken).ConfigureAwait(false);
                KillPoint.Reached("downloaded");
                break;

            case UpdateStep.Downloaded:
                var (length, sha256) = await HashAsync(_layout.PartialPayload, cancellationToken).ConfigureAwait(false);
                if (length != state.Size || !string.Equals(sha256, state.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    File.Delete(_layout.PartialPayload);
                    var why = length != state.Size
                        ? $"expected a payload of {state.Size} bytes as the signed manifest says, found {length}"
                        : $"expected a payload with SHA-256 {state.Sha256} as the signed manifest says, found {sha256}";
                    await SaveAsync(state with { Step = UpdateStep.Failed, Reason = why }, report: true, cancellationToken).ConfigureAwait(false);
                    return;
                }
                await SaveAsync(state with { Step = UpdateStep.Verified, ToSlot = InstallLayout.Other(_layout.ActiveSlot()), FromSlot = _layout.ActiveSlot() }, report: true, cancellationToken).ConfigureAwait(false);
                break;

            case UpdateStep.Verified:
                try
                {
                    await SlotStager.StageAsync(_layout.PartialPayload, _layout.Slot(state.ToSlot!), state.Version, () => KillPoint.Reached("staging"), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
                {
                    await SaveAsync(state with { Step = UpdateStep.Failed, Reason = $"the payload could not be unpacked: {ex.Message}" }, report: true, cancellationToken).ConfigureAwait(false);
                    return;
                }
                await SaveAsync(state with { Step = UpdateStep.Staged }, report: true, cancellationToken).ConfigureAwait(false);
                KillPoint.Reached("staged");
                break;

            case UpdateStep.Staged:
                if (SlotStager.StagedVersion(_layout.Slot(state.ToSlot!)) != state.Version)
                {
                    await SaveAsync(state with { Step = UpdateStep.Verified }, report: false, cancellationToken).ConfigureAwait(false);
                    return;
                }
                var deadline = _timeProvider.GetUtcNow() + _options.TrialDeadline;
                var switched = state with
                {
                    Step = UpdateStep.Switched,
                    TrialBoots = 0,
                    MaxTrialBoots = _options.MaxTrialBoots,
                    TrialDeadline = deadline.ToUnixTimeSeconds(),
                };

                // The intention is durable before the link moves: whatever instant the power goes, the launcher
                // finds 'switched' and either completes the switch or finds it done.
                await SaveAsync(switched, report: true, cancellationToken).ConfigureAwait(false);
                _layout.Switch(state.ToSlot!);
                _switchedHere = true;
                KillPoint.Reached("switched");
                LogSwitched(_logger, state.Version, state.ToSlot!);
                if (Directory.Exists(_layout.DownloadFolder))
                    Directory.Delete(_layout.DownloadFolder, recursive: true);
                _lifetime.StopApplication();
                break;
        }
    }

    private async Task TrialAsync(UpdateState state, CancellationToken cancellationToken)
    {
        if (!string.Equals(_runningVersion, state.Version, StringComparison.Ordinal))
        {
            // Only the launcher starts a trial; a previous version running in one was not started through it.
            await SaveAsync(state with { Step = UpdateStep.RolledBack, Reason = $"the gateway restarted on {_runningVersion}, not on the new {state.Version}: it is not started through the launcher" }, report: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        KillPoint.Reached("trial");
        var deadline = DateTimeOffset.FromUnixTimeSeconds(state.TrialDeadline);
        LogTrial(_logger, state.Version, state.TrialBoots, deadline);
        await Task.Delay(_options.HealthWindow, _timeProvider, cancellationToken).ConfigureAwait(false);
        string? reason;
        while ((reason = _unhealthyReason()) is not null)
        {
            if (_timeProvider.GetUtcNow() >= deadline)
            {
                // The launcher rolls back at the next start: the deadline has passed.
                LogTrialFailed(_logger, state.Version, reason);
                Environment.ExitCode = 70;
                _lifetime.StopApplication();
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        await SaveAsync(_state! with { Step = UpdateStep.Confirmed, Reason = null }, report: true, cancellationToken).ConfigureAwait(false);
        LogConfirmed(_logger, state.Version);
    }

    /// <summary>Writes the state durably, numbering a report first when there is one, then tries to send it.</summary>
    private async Task SaveAsync(UpdateState state, bool report, CancellationToken cancellationToken, long? bytesReceived = null)
    {
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _state = report ? state with { Sequence = state.Sequence + 1 } : state;
            _stateFile.Write(_state);
        }
        finally
        {
            _stateGate.Release();
        }
        if (report)
            await SendPendingAsync(_uplink.Session, bytesReceived, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendPendingAsync(IUplinkSession? session, long? bytesReceived, CancellationToken cancellationToken)
    {
        if (session is null || _state is not { } state || state.Reported >= state.Sequence)
            return;
        var report = ReportOf(state, bytesReceived);
        try
        {
            await session.PublishAsync(Topics.OtaStatus(_gatewayId), JsonSerializer.SerializeToUtf8Bytes(report, OtaJson.Default.OtaStatusReport), retain: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportNotSent(_logger, report.Sequence, ex.Message);
            return;
        }
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state is { } latest && latest.Reported < report.Sequence)
            {
                _state = latest with { Reported = Math.Max(latest.Reported, report.Sequence) };
                _stateFile.Write(_state);
            }
        }
        finally
        {
            _stateGate.Release();
        }
    }

    private OtaStatusReport ReportOf(UpdateState state, long? bytesReceived)
    {
        var phase = state.Step switch
        {
            UpdateStep.Downloading or UpdateStep.Downloaded => OtaPhase.Downloading,
            UpdateStep.Verified => OtaPhase.Verified,
            UpdateStep.Staged => OtaPhase.Staged,
            UpdateStep.Switched or UpdateStep.Trial => OtaPhase.Rebooting,
            UpdateStep.Confirmed => OtaPhase.Confirmed,
            UpdateStep.Failed => OtaPhase.Failed,
            _ => OtaPhase.RolledBack,
        };
        var bytes = phase == OtaPhase.Downloading
            ? bytesReceived ?? (File.Exists(_layout.PartialPayload) ? new FileInfo(_layout.PartialPayload).Length : 0)
            : (long?)null;
        var running = phase is OtaPhase.Confirmed or OtaPhase.RolledBack or OtaPhase.Failed ? _runningVersion : null;
        return new OtaStatusReport(state.CampaignId, state.Target, state.Attempt, state.Sequence, phase, bytes, running, state.Reason, _timeProvider.GetUtcNow());
    }

    private async Task OnConnectedAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        await SendPendingAsync(session, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes an offer whose target is this gateway (<see cref="Ota.OtaOfferDispatch"/> routes them here): answers a
    /// repeat with the latest report, refuses one it cannot install with a <c>failed</c> report, starts the rest.
    /// </summary>
    public async Task TakeOfferAsync(IUplinkSession session, OtaOffer offer)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(offer);
        if (!_options.Enabled || !string.Equals(offer.Target, _gatewayId, StringComparison.Ordinal) || offer.Kind != ArtifactKind.Gateway)
            return;

        if (_state is { } state && state.CampaignId == offer.CampaignId && state.Attempt == offer.Attempt)
        {
            // A repeat: the fleet has not seen our latest report yet.
            await SendAsync(session, ReportOf(state, null)).ConfigureAwait(false);
            return;
        }
        if (_state is { IsFinal: false } busy)
        {
            await RefuseAsync(session, offer, $"expected no update in progress, found {busy.ArtifactId} at step {UpdateState.StepName(busy.Step)}").ConfigureAwait(false);
            return;
        }
        if (Check(offer) is { } refusal)
        {
            await RefuseAsync(session, offer, refusal).ConfigureAwait(false);
            return;
        }

        LogOfferTaken(_logger, offer.ArtifactId, offer.CampaignId, offer.Attempt);
        if (File.Exists(_layout.PartialPayload))
            File.Delete(_layout.PartialPayload);
        await SaveAsync(
            new UpdateState(UpdateStep.Downloading, offer.CampaignId, offer.Target, offer.Attempt, offer.ArtifactId, offer.Version, _runningVersion,
                offer.Size, offer.Sha256.ToLowerInvariant(), offer.DownloadPath, ETag: null, offer.Deadline.ToUnixTimeSeconds(), FromSlot: null, ToSlot: null,
                TrialBoots: 0, _options.MaxTrialBoots, TrialDeadline: 0, Sequence: 0, Reported: 0, Reason: null),
            report: true, CancellationToken.None, bytesReceived: 0).ConfigureAwait(false);
        _work.Writer.TryWrite(true);
    }

    /// <summary>Null when the offer may be installed here; else why not.</summary>
    private string? Check(OtaOffer offer)
    {
        if (offer.Deadline < _timeProvider.GetUtcNow())
            return $"the offer expired at {offer.Deadline:u}";
        byte[] manifestBytes;
        OtaManifest? manifest;
        try
        {
            manifestBytes = Convert.FromBase64String(offer.Manifest);
            manifest = JsonSerializer.Deserialize(manifestBytes, OtaJson.Default.OtaManifest);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return $"expected the offer's manifest as base64 of the signed manifest JSON, found what does not read: {ex.Message}";
        }
        if (manifest is null)
            return "expected the offer's manifest as base64 of the signed manifest JSON, found null";
        var verification = _verifier.VerifyManifest(manifestBytes, manifest, offer.Signature);
        if (!verification.IsValid)
            return verification.Message;
        if (manifest.Size != offer.Size || !string.Equals(manifest.Sha256, offer.Sha256, StringComparison.OrdinalIgnoreCase)
            || manifest.Version != offer.Version || manifest.ArtifactId != offer.ArtifactId)
            return $"expected the offer to name the signed manifest's artifact {manifest.ArtifactId} ({manifest.Size} bytes, SHA-256 {manifest.Sha256}), found {offer.ArtifactId} ({offer.Size} bytes, SHA-256 {offer.Sha256})";
        var fit = OtaVerifier.CheckFit(manifest, ArtifactKind.Gateway, _options.HardwareModel!, _runningVersion);
        return fit.IsValid ? null : fit.Message;
    }

    private async Task RefuseAsync(IUplinkSession session, OtaOffer offer, string reason)
    {
        LogOfferRefused(_logger, offer.ArtifactId, offer.CampaignId, reason);
        await SendAsync(session, new OtaStatusReport(offer.CampaignId, offer.Target, offer.Attempt, 1, OtaPhase.Failed, null, _runningVersion, reason, _timeProvider.GetUtcNow())).ConfigureAwait(false);
    }

    private async Task SendAsync(IUplinkSession session, OtaStatusReport report)
    {
        try
        {
            await session.PublishAsync(Topics.OtaStatus(_gatewayId), JsonSerializer.SerializeToUtf8Bytes(report, OtaJson.Default.OtaStatusReport), retain: false, session.Closed).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogReportNotSent(_logger, report.Sequence, ex.Message);
        }
    }

    private static async Task<(long Length, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        return (file.Length, Convert.ToHexStringLower(hash));
    }

    public override void Dispose()
    {
        _stateGate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The self-update state file cannot be read and is set aside: {Reason}")]
    private static partial void LogStateUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Self-update of {ArtifactId} found at step {Step}; running {RunningVersion}")]
    private static partial void LogResumed(ILogger logger, string artifactId, string step, string runningVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Self-update of {ArtifactId} at step {Step}: {Reason}; trying again in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string artifactId, string step, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Switched to {Version} in slot {Slot}; exiting for the launcher to start it")]
    private static partial void LogSwitched(ILogger logger, string version, string slot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial of {Version} (start {Boot}); it confirms once healthy after the health window, before {Deadline}")]
    private static partial void LogTrial(ILogger logger, string version, int boot, DateTimeOffset deadline);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trial of {Version} failed: {Reason} at the deadline; exiting so that the launcher rolls back")]
    private static partial void LogTrialFailed(ILogger logger, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmed version {Version}")]
    private static partial void LogConfirmed(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA status report {Sequence} not sent now (it is sent when the uplink is back): {Reason}")]
    private static partial void LogReportNotSent(ILogger logger, long sequence, string reason);


    [LoggerMessage(Level = LogLevel.Information, Message = "Taking the offer of {ArtifactId} (campaign {CampaignId}, attempt {Attempt})")]
    private static partial void LogOfferTaken(ILogger logger, string artifactId, string campaignId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the offer of {ArtifactId} (campaign {CampaignId}): {Reason}")]
    private static partial void LogOfferRefused(ILogger logger, string artifactId, string campaignId, string reason);
}
