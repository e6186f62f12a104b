using System.Globalization;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// Turns the relay's phases for one offer and one device into the contract's <see cref="OtaStatusReport"/>s, numbered
/// 1, 2, 3… per (campaign, target, attempt). The number is written to a file (new file, then rename, so a power loss
/// leaves the old number or the new one) before the report is handed on: after a restart the next report carries the
/// next number, and the fleet, which keeps only a report numbered above the last it applied, is never confused by a
/// repeat.
/// </summary>
public sealed class NumberedOtaReporter : IFieldUpdateReporter
{
    private readonly OtaOffer _offer;
    private readonly IOtaStatusSink _sink;
    private readonly TimeProvider _time;
    private readonly string _numberFile;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="offer">The offer reported on; its campaign, target and attempt key the numbering.</param>
    /// <param name="sink">Where the reports go.</param>
    /// <param name="directory">Where the last number of each offer is kept.</param>
    /// <param name="timeProvider">Stamps the reports.</param>
    public NumberedOtaReporter(OtaOffer offer, IOtaStatusSink sink, string directory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _offer = offer;
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        var name = string.Concat($"{offer.CampaignId}.{offer.Target}.{offer.Attempt}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
        _numberFile = Path.Combine(Directory.CreateDirectory(directory).FullName, name + ".seq");
    }

    /// <summary>The number of the last report made on this offer, 0 before the first.</summary>
    public long LastSequence => File.Exists(_numberFile) ? long.Parse(File.ReadAllText(_numberFile), CultureInfo.InvariantCulture) : 0;

    public async ValueTask ReportAsync(OtaPhase phase, long? bytesReceived, string? runningVersion, string? reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long sequence = LastSequence + 1;
            var next = _numberFile + ".new";
            await File.WriteAllTextAsync(next, sequence.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            File.Move(next, _numberFile, overwrite: true);
            var report = new OtaStatusReport(_offer.CampaignId, _offer.Target, _offer.Attempt, sequence, phase, bytesReceived, runningVersion, reason, _time.GetUtcNow());
            await _sink.SendAsync(report, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
