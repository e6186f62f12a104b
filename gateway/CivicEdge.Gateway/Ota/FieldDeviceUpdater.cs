using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// Feeds a verified image to one field device over the Modbus bus it already polls: the manifest into its update
/// block, the image in Write File Record chunks (Modbus Application Protocol v1.1b3 §6.15) from the offset the device
/// says it needs, then waits for the device's own hash check, installs, and waits for the device to come back on the
/// new version and confirm it, or to roll back. Every transaction takes a turn in the bus lane and then leaves the
/// line to polling for a configurable share of the time, so readings keep flowing during an update.
/// </summary>
/// <remarks>
/// The device's register and file map is in hardware/ota/modbus-update.md. A device that restarts in the middle (power
/// loss) comes back reporting its last checkpoint, and the transfer goes on from there: nothing is sent twice beyond
/// one checkpoint's worth.
/// </remarks>
public sealed partial class FieldDeviceUpdater
{
    private readonly IModbusMaster _master;
    private readonly byte _unitId;
    private readonly IBusLane _lane;
    private readonly FieldUpdateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ushort[] _block = new ushort[FieldUpdateStatus.BlockLength];
    private long _bytesSent;
    private long _transactions;
    private long _failedTransactions;

    /// <exception cref="ArgumentException">An option out of range; the message names it.</exception>
    public FieldDeviceUpdater(IModbusMaster master, byte unitId, IBusLane lane, FieldUpdateOptions options, TimeProvider timeProvider, ILogger<FieldDeviceUpdater> logger)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(lane);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _master = master;
        _unitId = unitId;
        _lane = lane;
        _options = options;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Updates the device to <paramref name="image"/>, reporting each phase to <paramref name="reporter"/>.</summary>
    public async Task<FieldUpdateResult> UpdateAsync(FieldUpdateImage image, IFieldUpdateReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reporter);
        var status = await ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        if (status is null)
            return await EndAsync(reporter, OtaPhase.Failed, null, $"unit {_unitId} did not answer the update block at {_options.RegisterBase}", cancellationToken).ConfigureAwait(false);
        if (status.RunningVersion == image.Version && status.State is not (FieldDeviceUpdateState.Trial or FieldDeviceUpdateState.Rebooting))
            return await EndAsync(reporter, OtaPhase.Confirmed, status.RunningVersion, null, cancellationToken).ConfigureAwait(false);

        bool holdsThisImage = status.TargetVersion == image.Version && status.ImageSize == image.Payload.Length && status.Sha256.AsSpan().SequenceEqual(image.Sha256);
        if (!holdsThisImage || status.State is FieldDeviceUpdateState.Idle or FieldDeviceUpdateState.Failed or FieldDeviceUpdateState.Confirmed or FieldDeviceUpdateState.RolledBack)
        {
            status = await StartAsync(image, cancellationToken).ConfigureAwait(false);
            if (status is null || status.State != FieldDeviceUpdateState.Receiving)
                return await EndAsync(reporter, OtaPhase.Failed, status?.RunningVersion, $"unit {_unitId} refused the manifest: {Describe(status)}", cancellationToken).ConfigureAwait(false);
            LogStarted(_logger, _unitId, image.Version, image.Payload.Length);
        }
        else
        {
            LogResuming(_logger, _unitId, image.Version, status.NextOffset, status.State);
        }

        if (status.State == FieldDeviceUpdateState.Receiving)
        {
            status = await TransferAsync(image, status, reporter, cancellationToken).ConfigureAwait(false);
            if (status is null || status.State is not (FieldDeviceUpdateState.Verifying or FieldDeviceUpdateState.Staged))
                return await EndAsync(reporter, OtaPhase.Failed, status?.RunningVersion, $"transfer to unit {_unitId} stopped: {Describe(status)}", cancellationToken).ConfigureAwait(false);
        }

        if (status.State == FieldDeviceUpdateState.Verifying)
            status = await WaitWhileAsync(FieldDeviceUpdateState.Verifying, _options.VerifyTimeout, cancellationToken).ConfigureAwait(false);
        if (status is null || status.State is not (FieldDeviceUpdateState.Staged or FieldDeviceUpdateState.Rebooting or FieldDeviceUpdateState.Trial))
            return await EndAsync(reporter, OtaPhase.Failed, status?.RunningVersion, $"unit {_unitId} did not stage the image: {Describe(status)}", cancellationToken).ConfigureAwait(false);

        if (status.State == FieldDeviceUpdateState.Staged)
        {
            await reporter.ReportAsync(OtaPhase.Staged, null, null, null, cancellationToken).ConfigureAwait(false);
            var install = await TransactAsync(ct => _master.WriteRegistersAsync(_unitId, Register(FieldUpdateStatus.CommandOffset), new[] { FieldUpdateStatus.InstallCommand }, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            if (!install.IsOk)
                return await EndAsync(reporter, OtaPhase.Failed, status.RunningVersion, $"unit {_unitId} refused to install: {install}", cancellationToken).ConfigureAwait(false);
            await reporter.ReportAsync(OtaPhase.Rebooting, null, null, null, cancellationToken).ConfigureAwait(false);
            LogInstalling(_logger, _unitId, image.Version);
        }

        return await AwaitConfirmationAsync(image, reporter, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FieldUpdateResult> AwaitConfirmationAsync(FieldUpdateImage image, IFieldUpdateReporter reporter, CancellationToken cancellationToken)
    {
        // While it restarts the device does not answer: silence here is expected, not a failure.
        var deadline = _time.GetUtcNow() + _options.ConfirmTimeout;
        FieldUpdateStatus? last = null;
        while (_time.GetUtcNow() < deadline)
        {
            await Task.Delay(_options.StatusInterval, _time, cancellationToken).ConfigureAwait(false);
            var status = await ReadStatusOnceAsync(cancellationToken).ConfigureAwait(false);
            if (status is null)
                continue;
            last = status;
            if (status.State == FieldDeviceUpdateState.Confirmed && status.RunningVersion == image.Version)
                return await EndAsync(reporter, OtaPhase.Confirmed, status.RunningVersion, null, cancellationToken).ConfigureAwait(false);
            // A device that gives up on the image says RolledBack in the same boot, before it restarts into the
            // previous image: only once it runs that one is the rollback done.
            if (status.State == FieldDeviceUpdateState.RolledBack && status.RunningVersion != image.Version)
                return await EndAsync(reporter, OtaPhase.RolledBack, status.RunningVersion, $"unit {_unitId} rolled back: {status.LastError.Describe()}", cancellationToken).ConfigureAwait(false);
            if (status.State is FieldDeviceUpdateState.Failed or FieldDeviceUpdateState.Idle)
                return await EndAsync(reporter, OtaPhase.Failed, status.RunningVersion, $"unit {_unitId} left the update: {Describe(status)}", cancellationToken).ConfigureAwait(false);
        }

        return await EndAsync(reporter, OtaPhase.Failed, last?.RunningVersion,
            $"unit {_unitId} did not confirm version {image.Version} within {_options.ConfirmTimeout}: {Describe(last)}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<FieldUpdateStatus?> StartAsync(FieldUpdateImage image, CancellationToken cancellationToken)
    {
        var manifest = FieldUpdateStatus.ManifestRegisters(image.Payload.Length, image.Sha256, image.Version);
        var written = await TransactAsync(ct => _master.WriteRegistersAsync(_unitId, Register(FieldUpdateStatus.ManifestOffset), manifest, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        if (!written.IsOk)
            return null;
        var started = await TransactAsync(ct => _master.WriteRegistersAsync(_unitId, Register(FieldUpdateStatus.CommandOffset), new[] { FieldUpdateStatus.StartCommand }, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return started.IsOk ? await ReadStatusAsync(cancellationToken).ConfigureAwait(false) : null;
    }

    private async Task<FieldUpdateStatus?> TransferAsync(FieldUpdateImage image, FieldUpdateStatus status, IFieldUpdateReporter reporter, CancellationToken cancellationToken)
    {
        var progress = new TransferProgress(image.Payload.Length, _options, _time);
        int recordsPerFile = status.RecordsPerFile > 0 ? status.RecordsPerFile : 10000;
        long bytesPerFile = 2L * recordsPerFile;
        int chunkLimit = Math.Min(_options.ChunkBytes, status.MaxChunkBytes > 1 ? status.MaxChunkBytes & ~1 : _options.ChunkBytes);
        long offset = status.NextOffset;
        int failures = 0;
        var padded = new byte[chunkLimit];
        await ReportProgressAsync(reporter, progress, offset, force: true, cancellationToken).ConfigureAwait(false);
        while (offset < image.Payload.Length)
        {
            int count = (int)Math.Min(chunkLimit, Math.Min(image.Payload.Length - offset, bytesPerFile - (offset % bytesPerFile)));
            var chunk = image.Payload.Slice((int)offset, count);
            if (count % 2 != 0)
            {
                // Records are whole registers: the last odd byte goes out padded; the device drops bytes past the image's end.
                chunk.Span.CopyTo(padded);
                padded[count] = 0;
                chunk = padded.AsMemory(0, count + 1);
            }

            var file = (ushort)(1 + (offset / bytesPerFile));
            var record = (ushort)((offset % bytesPerFile) / 2);
            var data = chunk;
            var result = await TransactAsync(ct => _master.WriteFileRecordAsync(_unitId, file, record, data, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            if (result.IsOk)
            {
                offset += count;
                _bytesSent += count;
                failures = 0;
                await ReportProgressAsync(reporter, progress, offset, force: offset == image.Payload.Length, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (++failures >= _options.MaxConsecutiveFailures)
                return null;

            // Refused, lost or garbled: the device says where it stands (after a power loss, its last checkpoint).
            LogChunkFailed(_logger, _unitId, offset, result.ToString());
            var now = await ReadStatusOnceAsync(cancellationToken).ConfigureAwait(false);
            if (now is null)
                continue;
            if (now.State != FieldDeviceUpdateState.Receiving)
                return now;
            offset = now.NextOffset;
        }

        return await ReadStatusAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reports the bytes the device has acknowledged as <c>downloading</c>: at the start, after every
    /// <see cref="FieldUpdateOptions.ProgressStep"/> of the image or <see cref="FieldUpdateOptions.ProgressInterval"/>,
    /// and at the end; a report each chunk would load the uplink with thousands of them per device.
    /// </summary>
    private static async ValueTask ReportProgressAsync(IFieldUpdateReporter reporter, TransferProgress progress, long acknowledged, bool force, CancellationToken cancellationToken)
    {
        if (!force && !progress.IsDue(acknowledged))
            return;
        progress.Reported(acknowledged);
        await reporter.ReportAsync(OtaPhase.Downloading, acknowledged, null, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FieldUpdateStatus?> WaitWhileAsync(FieldDeviceUpdateState state, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        FieldUpdateStatus? status = null;
        while (_time.GetUtcNow() < deadline)
        {
            status = await ReadStatusOnceAsync(cancellationToken).ConfigureAwait(false);
            if (status is not null && status.State != state)
                return status;
            await Task.Delay(_options.StatusInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>Reads the status block, retrying up to the configured failures in a row.</summary>
    private async Task<FieldUpdateStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < _options.MaxConsecutiveFailures; attempt++)
        {
            var status = await ReadStatusOnceAsync(cancellationToken).ConfigureAwait(false);
            if (status is not null)
                return status;
        }

        return null;
    }

    private async Task<FieldUpdateStatus?> ReadStatusOnceAsync(CancellationToken cancellationToken)
    {
        var result = await TransactAsync(ct => _master.ReadRegistersAsync(_unitId, RegisterTable.HoldingRegisters, _options.RegisterBase, _block, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return result.IsOk ? FieldUpdateStatus.Parse(_block) : null;
    }

    /// <summary>One transaction in the bus lane, then the line left to polling for the rest of the share.</summary>
    private async Task<ModbusResult> TransactAsync(Func<CancellationToken, Task<ModbusResult>> work, CancellationToken cancellationToken)
    {
        var took = TimeSpan.Zero;
        var result = await _lane.RunAsync(async ct =>
        {
            var started = _time.GetTimestamp();
            var outcome = await work(ct).ConfigureAwait(false);
            took = _time.GetElapsedTime(started);
            return outcome;
        }, cancellationToken).ConfigureAwait(false);
        _transactions++;
        if (!result.IsOk)
            _failedTransactions++;
        if (_options.BusShare < 1)
            await Task.Delay(took * ((1 - _options.BusShare) / _options.BusShare), _time, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<FieldUpdateResult> EndAsync(IFieldUpdateReporter reporter, OtaPhase phase, string? runningVersion, string? reason, CancellationToken cancellationToken)
    {
        await reporter.ReportAsync(phase, null, runningVersion, reason, cancellationToken).ConfigureAwait(false);
        if (phase == OtaPhase.Confirmed)
            LogConfirmed(_logger, _unitId, runningVersion, _bytesSent, _transactions);
        else
            LogEnded(_logger, _unitId, phase, reason);
        return new FieldUpdateResult(phase, runningVersion, reason, _bytesSent, _transactions, _failedTransactions);
    }

    private ushort Register(int offset) => (ushort)(_options.RegisterBase + offset);

    private static string Describe(FieldUpdateStatus? status) =>
        status is null ? "no answer" : $"state {status.State}, last error: {status.LastError.Describe()}, next offset {status.NextOffset}, running {status.RunningVersion}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId}: update to {Version} started, {Bytes} bytes")]
    private static partial void LogStarted(ILogger logger, byte unitId, string version, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId}: update to {Version} resumes at offset {Offset} ({State})")]
    private static partial void LogResuming(ILogger logger, byte unitId, string version, long offset, FieldDeviceUpdateState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unit {UnitId}: chunk at offset {Offset} failed ({Result}); asking the device where it stands")]
    private static partial void LogChunkFailed(ILogger logger, byte unitId, long offset, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId}: {Version} verified by the device, installing")]
    private static partial void LogInstalling(ILogger logger, byte unitId, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unit {UnitId}: confirmed on {Version} after {Bytes} image bytes in {Transactions} transactions")]
    private static partial void LogConfirmed(ILogger logger, byte unitId, string? version, long bytes, long transactions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unit {UnitId}: update ended {Phase}: {Reason}")]
    private static partial void LogEnded(ILogger logger, byte unitId, OtaPhase phase, string? reason);
}
