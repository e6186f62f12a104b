using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Security;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core.Provisioning;

/// <summary>
/// Claiming flashed devices on site: the office issues a short-lived claim token for one device or for a delivery batch;
/// the installer claims the device with it, which moves it to installed with the installer, the time and the location
/// as found on site, and can issue its first credential. A device token is used once, a batch token once per device.
/// </summary>
public sealed partial class DeviceProvisioning
{
    private const int MaxConflictRetries = 3;

    private readonly IDeviceLedgerStore _store;
    private readonly DeviceLedger _ledger;
    private readonly DeviceCredentials _credentials;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeviceProvisioning> _logger;

    public DeviceProvisioning(
        IDeviceLedgerStore store,
        DeviceLedger ledger,
        DeviceCredentials credentials,
        LedgerOptions options,
        TimeProvider timeProvider,
        ILogger<DeviceProvisioning> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _ledger = ledger;
        _credentials = credentials;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<LedgerResult<ClaimTokenIssued>> IssueClaimTokenAsync(ClaimTokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var by = LedgerFields.Text("by", request.By, LedgerFields.MaxNameLength, required: true, problems);
        var device = LedgerFields.Text("device", request.Device, LedgerFields.MaxNameLength, required: false, problems);
        var batch = LedgerFields.Text("batch", request.Batch, LedgerFields.MaxLabelLength, required: false, problems);
        if ((device is null) == (batch is null))
            LedgerFields.Add(problems, "device", $"device, batch: expected exactly one of them, found {(device is null ? "neither" : "both")}");
        var lifetime = request.Lifetime ?? _options.ClaimTokenLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > _options.MaxClaimTokenLifetime)
            LedgerFields.Add(problems, "lifetime", $"lifetime: expected more than 0 and at most {_options.MaxClaimTokenLifetime} ({LedgerOptions.Section}:MaxClaimTokenLifetime), found {lifetime}");
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid claim token request", problems);

        if (device is not null)
        {
            var held = await _store.FindDeviceAsync(device, cancellationToken).ConfigureAwait(false);
            if (held is null)
                return LedgerFailure.NotFound("device", $"device: expected a device registered in the ledger, found '{LedgerFields.Printable(device)}'");
            if (held.State != LifecycleState.Registered)
                return NotClaimable(held, "device");
        }
        else if ((await _store.QueryDevicesAsync(new DeviceQuery { Batch = batch, State = LifecycleState.Registered }, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return LedgerFailure.NotFound("batch", $"batch: expected a batch with devices still to claim (registered), found none in '{LedgerFields.Printable(batch!)}'");
        }

        var now = _timeProvider.GetUtcNow();
        var token = DeviceSecrets.NewClaimToken();
        var record = new ClaimTokenRecord(DeviceSecrets.HashClaimToken(token), device, batch, now, by!, now + lifetime, []);
        await _store.AddClaimTokenAsync(record, cancellationToken).ConfigureAwait(false);
        LogTokenIssued(_logger, device ?? $"batch {batch}", record.ExpiresAt, by!);
        return LedgerResult<ClaimTokenIssued>.Success(new ClaimTokenIssued(token, device, batch, record.ExpiresAt));
    }

    public async Task<LedgerResult<ClaimAnswer>> ClaimAsync(string code, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var installer = LedgerFields.Text("installer", request.Installer, LedgerFields.MaxNameLength, required: true, problems);
        LedgerFields.Location("location", request.Location, problems);
        if (string.IsNullOrWhiteSpace(request.Token))
            LedgerFields.Add(problems, "token", "token: expected the claim token the office gave, found none");
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid claim", problems);

        var hash = DeviceSecrets.HashClaimToken(request.Token!);
        for (var attempt = 0; ; attempt++)
        {
            if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is not { } device)
                return DeviceLedger.UnknownDevice(code);
            if (device.State != LifecycleState.Registered)
                return NotClaimable(device, "id");

            var token = await _store.FindClaimTokenAsync(hash, cancellationToken).ConfigureAwait(false);
            if (token is null)
                return TokenRefused("expected a claim token the fleet issued, found one it does not know");
            if (token.Device is not null ? token.Device != code : token.Batch != device.Batch)
            {
                return TokenRefused(token.Device is not null
                    ? $"expected a token for {code}, found one for device {token.Device}"
                    : $"expected a token for {code}'s batch ({device.Batch ?? "none"}), found one for batch {token.Batch}");
            }

            var now = _timeProvider.GetUtcNow();
            now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
            var claimed = device with
            {
                State = LifecycleState.Installed,
                Installer = installer,
                InstalledAt = now,
                Location = LedgerFields.Location("location", Merge(device.Location, request.Location), problems),
                UpdatedAt = now,
                Revision = device.Revision + 1,
                History = [.. device.History, new LifecycleChange(device.State, LifecycleState.Installed, now, installer!, $"claimed on site with a {(token.Device is not null ? "device" : "batch")} claim token")],
            };
            var outcome = await _store.CommitClaimAsync(hash, claimed, device.Revision, now, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case ClaimCommit.Claimed:
                    LogClaimed(_logger, code, installer!);
                    var warnings = await _ledger.FindDuplicatesAsync(claimed, cancellationToken).ConfigureAwait(false);
                    IssuedCredential? credential = null;
                    if (request.IssueCredential == true)
                    {
                        var issued = await _credentials.IssueAsync(code, new CredentialRequest { By = installer }, cancellationToken).ConfigureAwait(false);
                        credential = issued.Value;
                    }

                    return LedgerResult<ClaimAnswer>.Success(new ClaimAnswer(claimed, warnings, credential));
                case ClaimCommit.UnknownToken:
                    return TokenRefused("expected a claim token the fleet issued, found one it does not know");
                case ClaimCommit.Expired:
                    return TokenRefused($"expected a valid claim token, found one that expired at {token.ExpiresAt:O}");
                case ClaimCommit.AlreadyUsed:
                    return TokenRefused("expected an unused claim token, found one already used to claim this device (a token claims once)");
                case ClaimCommit.DeviceChanged when attempt < MaxConflictRetries:
                    continue;
                default:
                    return LedgerFailure.Conflict("Device changed meanwhile", "id", $"id: '{code}' kept changing while it was claimed; retry");
            }
        }
    }

    private static DeviceLocation? Merge(DeviceLocation? registered, DeviceLocation? found) =>
        found is null
            ? registered
            : new DeviceLocation(
                found.Latitude ?? registered?.Latitude,
                found.Longitude ?? registered?.Longitude,
                found.Address ?? registered?.Address,
                found.PoleNumber ?? registered?.PoleNumber,
                found.District ?? registered?.District);

    private static LedgerFailure NotClaimable(LedgerDevice device, string field)
    {
        var last = device.History[^1];
        return LedgerFailure.Conflict(
            "Device not claimable",
            field,
            $"{field}: expected a device still registered (not yet installed), found {device.Code} {LedgerNames.Of(device.State)} since {last.At:O} by {last.By}");
    }

    private static LedgerFailure TokenRefused(string problem) =>
        LedgerFailure.Invalid("Claim token refused", "token", $"token: {problem}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a claim token for {Scope}, valid until {ExpiresAt}, to {By}")]
    private static partial void LogTokenIssued(ILogger logger, string scope, DateTimeOffset expiresAt, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Code} claimed on site by {Installer}")]
    private static partial void LogClaimed(ILogger logger, string code, string installer);
}
