using System.Text;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// Publishes the relay's numbered reports on the gateway's status topic (<see cref="Topics.OtaStatus"/>, QoS 1) the
/// way the self-update does: the report is written durably (<see cref="DurableFiles"/>) before it is sent, and stays
/// owed until the broker has acknowledged it; every (re)connection sends what is owed. Only the latest report of an
/// offer is kept owed, since the fleet applies a report only when it is numbered above the last it applied.
/// </summary>
public sealed partial class DurableOtaStatusSink : IOtaStatusSink
{
    private const string Extension = ".owed";

    private readonly string _gatewayId;
    private readonly string _directory;
    private readonly UplinkState _uplink;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="gatewayId">Whose status topic the reports go to.</param>
    /// <param name="directory">Where owed reports are kept, created if missing.</param>
    /// <param name="uplink">The connection the reports go out on.</param>
    /// <param name="logger">Where unsent reports are logged.</param>
    public DurableOtaStatusSink(string gatewayId, string directory, UplinkState uplink, ILogger<DurableOtaStatusSink> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _gatewayId = gatewayId;
        _directory = Directory.CreateDirectory(directory).FullName;
        _uplink = uplink ?? throw new ArgumentNullException(nameof(uplink));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _uplink.OnConnected(SendOwedAsync);
    }

    /// <summary>The reports written but not yet acknowledged by the broker, oldest first.</summary>
    public IReadOnlyList<OtaStatusReport> Owed()
    {
        return [.. Directory.EnumerateFiles(_directory, "*" + Extension)
            .Select(Read)
            .OfType<OtaStatusReport>()
            .OrderBy(r => r.At)];
    }

    public async ValueTask SendAsync(OtaStatusReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var path = PathOf(report);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Read(path) is { } owed && owed.Sequence >= report.Sequence)
                return;
            DurableFiles.WriteAtomically(path, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(report, OtaJson.Default.OtaStatusReport)));
        }
        finally
        {
            _gate.Release();
        }

        if (_uplink.Session is { } session)
            await PublishAsync(session, report, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendOwedAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        foreach (var report in Owed())
            await PublishAsync(session, report, cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishAsync(IUplinkSession session, OtaStatusReport report, CancellationToken cancellationToken)
    {
        try
        {
            await session.PublishAsync(Topics.OtaStatus(_gatewayId), JsonSerializer.SerializeToUtf8Bytes(report, OtaJson.Default.OtaStatusReport), retain: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotSent(_logger, report.Target, report.Sequence, ex.Message);
            return;
        }

        var path = PathOf(report);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A later report written meanwhile stays owed.
            if (Read(path) is { } owed && owed.Sequence == report.Sequence)
                File.Delete(path);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string PathOf(OtaStatusReport report)
    {
        var name = string.Concat($"{report.CampaignId}.{report.Target}.{report.Attempt}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
        return Path.Combine(_directory, name + Extension);
    }

    private OtaStatusReport? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), OtaJson.Default.OtaStatusReport);
        }
        catch (JsonException ex)
        {
            // A torn or foreign file cannot be sent; it is set aside for a person rather than dropped.
            LogUnreadable(_logger, path, ex.Message);
            File.Move(path, path + ".unreadable", overwrite: true);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA report {Sequence} for '{Target}' not sent now (it is sent when the uplink is back): {Reason}")]
    private static partial void LogNotSent(ILogger logger, string target, long sequence, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "OTA report file {Path} cannot be read and is set aside: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
