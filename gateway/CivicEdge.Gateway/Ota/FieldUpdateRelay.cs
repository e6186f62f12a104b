using System.Collections.Concurrent;
using CivicEdge.Fleet.Contracts.Ota;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// Takes the fleet's offers for field devices behind the gateway: maps the target to its bus and unit, refuses one it
/// cannot update with a numbered <c>failed</c> report saying why, downloads and verifies the payload once
/// (<see cref="OtaPayloadCache"/>), then feeds it to the device (<see cref="FieldDeviceUpdater"/>). One update runs per
/// device; devices on one bus take their turns one after another, since a half-duplex line carries one transaction at
/// a time (Modbus over Serial Line V1.02 §2.1) and an update already shares it with polling.
/// </summary>
public sealed partial class FieldUpdateRelay : IAsyncDisposable
{
    private readonly IFieldUpdateTargets _targets;
    private readonly OtaPayloadCache _cache;
    private readonly IOtaStatusSink _sink;
    private readonly string _reportDirectory;
    private readonly FieldUpdateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _buses = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <exception cref="ArgumentException">An option out of range; the message names it.</exception>
    public FieldUpdateRelay(IFieldUpdateTargets targets, OtaPayloadCache cache, IOtaStatusSink sink, string reportDirectory, FieldUpdateOptions options, TimeProvider timeProvider, ILoggerFactory loggers)
    {
        ArgumentException.ThrowIfNullOrEmpty(reportDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _targets = targets ?? throw new ArgumentNullException(nameof(targets));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _reportDirectory = reportDirectory;
        _options = options;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        _logger = loggers.CreateLogger<FieldUpdateRelay>();
    }

    /// <summary>
    /// Takes an offer for a field device. It returns once the offer is refused or started; the update itself runs on,
    /// and <see cref="CompletionOf"/> gives its end.
    /// </summary>
    public async Task OfferAsync(OtaOffer offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var reporter = new NumberedOtaReporter(offer, _sink, _reportDirectory, _time);
        if (offer.Kind != ArtifactKind.Firmware)
        {
            await RefuseAsync(offer, reporter, $"expected a firmware artifact for field device '{offer.Target}', found kind {offer.Kind}", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (offer.Deadline < _time.GetUtcNow())
        {
            await RefuseAsync(offer, reporter, $"the offer expired at {offer.Deadline:u}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var lookup = _targets.Find(offer.Target);
        if (lookup.Target is not { } target)
        {
            await RefuseAsync(offer, reporter, lookup.Refusal ?? $"device '{offer.Target}' cannot be updated", cancellationToken).ConfigureAwait(false);
            return;
        }

        var started = new Running(offer);
        var running = _running.GetOrAdd(target.DeviceId, started);
        if (!ReferenceEquals(running, started))
        {
            if (running.Offer.CampaignId == offer.CampaignId && running.Offer.Attempt == offer.Attempt)
                return; // A repeat of the offer under way: its reports are on their way.
            await RefuseAsync(offer, reporter, $"expected no update in progress on '{target.DeviceId}', found {running.Offer.ArtifactId} of campaign {running.Offer.CampaignId}", cancellationToken).ConfigureAwait(false);
            return;
        }

        LogTaken(_logger, offer.ArtifactId, target.DeviceId, target.BusId, target.UnitId);
        started.Completion = Task.Run(() => RunAsync(offer, target, reporter, started), CancellationToken.None);
    }

    /// <summary>The end of the update running on <paramref name="deviceId"/>, or null when none runs.</summary>
    public Task<FieldUpdateResult?>? CompletionOf(string deviceId) =>
        _running.TryGetValue(deviceId, out var running) ? running.Completion : null;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var running in _running.Values)
        {
            if (running.Completion is { } completion)
                await completion.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task<FieldUpdateResult?> RunAsync(OtaOffer offer, FieldUpdateTarget target, NumberedOtaReporter reporter, Running running)
    {
        var cancellationToken = _stopping.Token;
        try
        {
            // The download needs no bus, so it goes ahead while another device on the same bus is being fed.
            var image = await _cache.PrepareAsync(offer, reporter, cancellationToken).ConfigureAwait(false);
            if (image is null)
                return null;
            var bus = _buses.GetOrAdd(target.BusId, _ => new SemaphoreSlim(1, 1));
            await bus.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var updater = new FieldDeviceUpdater(target.Master, target.UnitId, target.Lane, _options, _time, _loggers.CreateLogger<FieldDeviceUpdater>());
                return await updater.UpdateAsync(image, reporter, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                bus.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The gateway is stopping: the device keeps its checkpoint, and the fleet's repeat of the offer resumes it.
            return null;
        }
        catch (Exception ex)
        {
            LogBroke(_logger, offer.ArtifactId, target.DeviceId, ex);
            await reporter.ReportAsync(OtaPhase.Failed, null, null, $"the update of '{target.DeviceId}' broke off: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, Running>(target.DeviceId, running));
        }
    }

    private async Task RefuseAsync(OtaOffer offer, NumberedOtaReporter reporter, string reason, CancellationToken cancellationToken)
    {
        LogRefused(_logger, offer.ArtifactId, offer.Target, reason);
        await reporter.ReportAsync(OtaPhase.Failed, null, null, reason, cancellationToken).ConfigureAwait(false);
    }

    private sealed class Running(OtaOffer offer)
    {
        public OtaOffer Offer { get; } = offer;

        public Task<FieldUpdateResult?>? Completion { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OTA {ArtifactId}: updating '{DeviceId}', unit {UnitId} on bus '{BusId}'")]
    private static partial void LogTaken(ILogger logger, string artifactId, string deviceId, string busId, byte unitId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA {ArtifactId} for '{Target}' refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string artifactId, string target, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA {ArtifactId}: the update of '{DeviceId}' broke off")]
    private static partial void LogBroke(ILogger logger, string artifactId, string deviceId, Exception exception);
}
