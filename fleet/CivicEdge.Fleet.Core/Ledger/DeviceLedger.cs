using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;
using CivicEdge.Fleet.Core.Provisioning;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>
/// The device ledger, the city's system of record of every terminal (FR-02): registration with the code scheme and the
/// duplicate-sensing check (FR-01, FR-04), queries, changes and lifecycle steps (FR-41). Devices that report telemetry
/// without being registered are listed as unregistered, so nothing reporting to the fleet is invisible.
/// </summary>
public sealed partial class DeviceLedger
{
    private const int MaxConflictRetries = 3;

    private readonly IDeviceLedgerStore _store;
    private readonly IFleetStore _telemetry;
    private readonly DeviceCredentials _credentials;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeviceLedger> _logger;

    public DeviceLedger(
        IDeviceLedgerStore store,
        IFleetStore telemetry,
        DeviceCredentials credentials,
        IDeviceCodeScheme codeScheme,
        LedgerOptions options,
        TimeProvider timeProvider,
        ILogger<DeviceLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(codeScheme);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _telemetry = telemetry;
        _credentials = credentials;
        CodeScheme = codeScheme;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The scheme every registered code follows.</summary>
    public IDeviceCodeScheme CodeScheme { get; }

    public async Task<LedgerResult<DeviceAnswer>> RegisterAsync(DeviceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (registration.Kind is null)
            LedgerFields.Add(problems, "kind", $"kind: expected one of {LedgerNames.All<DeviceKind>()}, found none");
        var code = CheckCode(registration.Code, registration.Kind ?? DeviceKind.Other, checkKind: registration.Kind is not null, problems);
        var tenant = CheckTenant(LedgerFields.Text("tenant", registration.Tenant, LedgerFields.MaxNameLength, required: true, problems), problems);
        var by = LedgerFields.Text("by", registration.By, LedgerFields.MaxNameLength, required: true, problems);
        var model = LedgerFields.Text("model", registration.Model, LedgerFields.MaxNameLength, required: false, problems);
        var firmware = LedgerFields.Text("firmware", registration.Firmware, LedgerFields.MaxLabelLength, required: false, problems);
        var batch = LedgerFields.Text("batch", registration.Batch, LedgerFields.MaxLabelLength, required: false, problems);
        var gateway = LedgerFields.Text("gateway", registration.Gateway, LedgerFields.MaxNameLength, required: false, problems);
        var location = LedgerFields.Location("location", registration.Location, problems);
        var tags = LedgerFields.Labels("tags", registration.Tags, problems);
        var capabilities = LedgerFields.Labels("capabilities", registration.Capabilities, problems);
        if (gateway is not null && code is not null)
            await CheckGatewayAsync(code, gateway, problems, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid device registration", problems);

        var now = Now();
        var device = new LedgerDevice(
            code!,
            registration.Kind!.Value,
            model,
            tenant!,
            location,
            gateway,
            LifecycleState.Registered,
            firmware,
            tags,
            capabilities,
            batch,
            Installer: null,
            InstalledAt: null,
            RegisteredAt: now,
            UpdatedAt: now,
            Revision: 1,
            History: [new LifecycleChange(null, LifecycleState.Registered, now, by!, "registered")]);
        if (!await _store.TryAddDeviceAsync(device, cancellationToken).ConfigureAwait(false))
        {
            var held = await _store.FindDeviceAsync(device.Code, cancellationToken).ConfigureAwait(false);
            return LedgerFailure.Conflict(
                "Device already registered",
                "code",
                $"code: expected a code not in the ledger, found '{device.Code}' registered already ({(held is null ? "just now" : LedgerNames.Of(held.State))}); codes are never reused");
        }

        var warnings = await FindDuplicatesAsync(device, cancellationToken).ConfigureAwait(false);
        LogRegistered(_logger, device.Code, LedgerNames.Of(device.Kind), device.Tenant, by!, warnings.Count);
        return LedgerResult<DeviceAnswer>.Success(new DeviceAnswer(device, warnings));
    }

    public Task<LedgerDevice?> FindAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _store.FindDeviceAsync(code, cancellationToken);
    }

    public Task<IReadOnlyList<LedgerDevice>> QueryAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _store.QueryDevicesAsync(query, cancellationToken);
    }

    /// <summary>
    /// The registered devices <paramref name="query"/> selects and, unless <paramref name="registered"/> is true, the
    /// devices seen in telemetry that the ledger lacks — those only when the query asks nothing the ledger alone knows.
    /// </summary>
    public async Task<IReadOnlyList<DeviceListItem>> ListAsync(DeviceQuery query, bool? registered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var seen = (await _telemetry.ListDevicesAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(device => device.Id, StringComparer.Ordinal);
        var matching = registered == false ? [] : await _store.QueryDevicesAsync(query, cancellationToken).ConfigureAwait(false);
        var items = matching.Select(device => Registered(device, seen.GetValueOrDefault(device.Code))).ToList();

        // Only model and gateway are known of an unregistered device; any other filter leaves them all out.
        if (registered != true && query with { Model = null, Gateway = null } == DeviceQuery.All)
        {
            var all = query == DeviceQuery.All && registered != false
                ? matching
                : await _store.QueryDevicesAsync(DeviceQuery.All, cancellationToken).ConfigureAwait(false);
            var inLedger = all.Select(device => device.Code).ToHashSet(StringComparer.Ordinal);
            items.AddRange(seen.Values
                .Where(summary => !inLedger.Contains(summary.Id))
                .Where(summary => query.Model is null || string.Equals(summary.Model, query.Model, StringComparison.Ordinal))
                .Where(summary => query.Gateway is null || string.Equals(summary.Gateway, query.Gateway, StringComparison.Ordinal))
                .Select(Unregistered));
        }

        items.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return items;
    }

    /// <summary>One device with what telemetry knows of it and its credentials; null when neither the ledger nor telemetry has it.</summary>
    public async Task<DeviceDetails?> DetailsAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0)
            return null;
        var device = await _store.FindDeviceAsync(id, cancellationToken).ConfigureAwait(false);
        var summary = await _telemetry.FindDeviceAsync(id, cancellationToken).ConfigureAwait(false);
        if (device is null && summary is null)
            return null;

        var credentials = device is null
            ? []
            : (await _store.ListCredentialsAsync(id, cancellationToken).ConfigureAwait(false)).Select(credential => credential.Summarize(Now())).ToList();
        return new DeviceDetails(
            id,
            device?.Model ?? summary?.Model,
            device?.Gateway ?? summary?.Gateway,
            summary?.FirstSeen,
            summary?.LastSeen,
            summary?.Readings ?? 0,
            device is not null,
            device,
            credentials);
    }

    /// <summary>Applies <paramref name="changes"/> to a device; moving it or changing what it senses checks for duplicates again.</summary>
    public async Task<LedgerResult<DeviceAnswer>> UpdateAsync(string code, DeviceChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
            return LedgerFailure.Invalid("Nothing to change", "body", "body: expected at least one field to change, found none");

        for (var attempt = 0; ; attempt++)
        {
            if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is not { } device)
                return UnknownDevice(code);
            if (device.State == LifecycleState.Decommissioned)
                return Decommissioned(device);

            var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var changed = device with
            {
                Model = changes.Model is { } model ? LedgerFields.Text("model", model.Value, LedgerFields.MaxNameLength, false, problems) : device.Model,
                Tenant = changes.Tenant is { } tenant ? CheckTenant(LedgerFields.Text("tenant", tenant.Value, LedgerFields.MaxNameLength, true, problems), problems) ?? device.Tenant : device.Tenant,
                Location = LedgerFields.Location("location", changes.ApplyLocation(device.Location), problems),
                Gateway = changes.Gateway is { } gateway ? LedgerFields.Text("gateway", gateway.Value, LedgerFields.MaxNameLength, false, problems) : device.Gateway,
                Firmware = changes.Firmware is { } firmware ? LedgerFields.Text("firmware", firmware.Value, LedgerFields.MaxLabelLength, false, problems) : device.Firmware,
                Tags = changes.Tags is { } tags ? LedgerFields.Labels("tags", tags.Value, problems) : device.Tags,
                Capabilities = changes.Capabilities is { } capabilities ? LedgerFields.Labels("capabilities", capabilities.Value, problems) : device.Capabilities,
                Batch = changes.Batch is { } batch ? LedgerFields.Text("batch", batch.Value, LedgerFields.MaxLabelLength, false, problems) : device.Batch,
                Installer = changes.Installer is { } installer ? LedgerFields.Text("installer", installer.Value, LedgerFields.MaxNameLength, false, problems) : device.Installer,
                InstalledAt = changes.InstalledAt is { } installedAt ? installedAt.Value : device.InstalledAt,
                UpdatedAt = Now(),
                Revision = device.Revision + 1,
            };
            if (changes.Gateway is not null && changed.Gateway is { } newGateway)
                await CheckGatewayAsync(code, newGateway, problems, cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
                return LedgerFailure.Invalid("Invalid device change", problems);

            if (await _store.TryUpdateDeviceAsync(changed, device.Revision, cancellationToken).ConfigureAwait(false))
            {
                var moved = changes.Location is not null || changes.Capabilities is not null;
                var warnings = moved ? await FindDuplicatesAsync(changed, cancellationToken).ConfigureAwait(false) : [];
                LogUpdated(_logger, code, changed.Revision);
                return LedgerResult<DeviceAnswer>.Success(new DeviceAnswer(changed, warnings));
            }

            if (attempt == MaxConflictRetries)
                return ChangedMeanwhile(code);
        }
    }

    /// <summary>
    /// Moves a device to another lifecycle state if the rules allow it, recording who and why; decommissioning also
    /// revokes every credential and cuts the device's broker sessions.
    /// </summary>
    public async Task<LedgerResult<LedgerDevice>> ChangeStateAsync(string code, LifecycleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (request.State is null)
            LedgerFields.Add(problems, "state", $"state: expected one of {LedgerNames.All<LifecycleState>()}, found none");
        var by = LedgerFields.Text("by", request.By, LedgerFields.MaxNameLength, required: true, problems);
        var reason = LedgerFields.Text("reason", request.Reason, LedgerFields.MaxTextLength, required: true, problems);
        if (problems.Count > 0)
            return LedgerFailure.Invalid("Invalid lifecycle change", problems);

        var to = request.State!.Value;
        for (var attempt = 0; ; attempt++)
        {
            if (await _store.FindDeviceAsync(code, cancellationToken).ConfigureAwait(false) is not { } device)
                return UnknownDevice(code);
            if (!LifecycleRules.IsAllowed(device.State, to))
            {
                var allowed = LifecycleRules.AllowedFrom(device.State);
                return LedgerFailure.Conflict(
                    "Lifecycle step not allowed",
                    "state",
                    $"state: expected {(allowed.Count == 0 ? "nothing: a decommissioned device stays so" : string.Join(" or ", allowed.Select(LedgerNames.Of)))} after {LedgerNames.Of(device.State)}, found {LedgerNames.Of(to)}");
            }

            var now = Now();
            var moved = device with
            {
                State = to,
                Installer = to == LifecycleState.Installed && device.Installer is null ? by : device.Installer,
                InstalledAt = to == LifecycleState.Installed ? now : device.InstalledAt,
                UpdatedAt = now,
                Revision = device.Revision + 1,
                History = [.. device.History, new LifecycleChange(device.State, to, now, by!, reason!)],
            };
            if (await _store.TryUpdateDeviceAsync(moved, device.Revision, cancellationToken).ConfigureAwait(false))
            {
                LogMoved(_logger, code, LedgerNames.Of(device.State), LedgerNames.Of(to), by!, reason!);
                if (to == LifecycleState.Decommissioned)
                    await _credentials.RevokeAllAsync(code, by!, $"decommissioned: {reason}", cancellationToken).ConfigureAwait(false);
                return LedgerResult<LedgerDevice>.Success(moved);
            }

            if (attempt == MaxConflictRetries)
                return ChangedMeanwhile(code);
        }
    }

    /// <summary>
    /// The devices that sense what <paramref name="device"/> senses within <see cref="LedgerOptions.DuplicateRadiusMetres"/>
    /// of it, nearest first; decommissioned devices do not count.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateWarning>> FindDuplicatesAsync(LedgerDevice device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var radius = _options.DuplicateRadiusMetres;
        if (radius <= 0 || device.Capabilities.Count == 0 || device.Location is not { Latitude: { } latitude, Longitude: { } longitude })
            return [];

        var box = GeoDistance.BoxAround(latitude, longitude, radius);
        var warnings = new List<DuplicateWarning>();
        foreach (var capability in device.Capabilities)
        {
            var near = await _store.QueryDevicesAsync(new DeviceQuery { Capability = capability, Within = box }, cancellationToken).ConfigureAwait(false);
            foreach (var other in near)
            {
                if (other.Code == device.Code || other.State == LifecycleState.Decommissioned
                    || other.Location is not { Latitude: { } otherLatitude, Longitude: { } otherLongitude })
                {
                    continue;
                }

                var distance = GeoDistance.Metres(latitude, longitude, otherLatitude, otherLongitude);
                if (distance > radius)
                    continue;

                var owner = other.Tenant == device.Tenant ? $"also owned by {other.Tenant}" : $"owned by {other.Tenant}";
                warnings.Add(new DuplicateWarning(
                    capability,
                    other.Code,
                    other.Tenant,
                    Math.Round(distance, 1),
                    string.Create(CultureInfo.InvariantCulture,
                        $"{other.Code} ({LedgerNames.Of(other.Kind)}, {owner}) already senses '{capability}' {distance:0} m away, within the {radius:0} m in which the same sensing should not be deployed twice")));
            }
        }

        warnings.Sort((a, b) => a.DistanceMetres.CompareTo(b.DistanceMetres));
        if (warnings.Count > 0)
            LogDuplicates(_logger, device.Code, warnings.Count, warnings[0].Device, warnings[0].DistanceMetres);
        return warnings;
    }

    /// <summary>Checks a code against the scheme; returns it when usable.</summary>
    internal string? CheckCode(string? code, DeviceKind kind, bool checkKind, Dictionary<string, List<string>> problems)
    {
        if (string.IsNullOrEmpty(code))
        {
            LedgerFields.Add(problems, "code", $"code: expected a unified device code ({CodeScheme.Describe()}), found none");
            return null;
        }

        if (code.StartsWith(LedgerFields.ReservedCodePrefix, StringComparison.OrdinalIgnoreCase))
        {
            LedgerFields.Add(problems, "code", $"code: expected a code not starting with '{LedgerFields.ReservedCodePrefix}' (the fleet's own MQTT identities), found '{LedgerFields.Printable(code)}'");
            return null;
        }

        if (!checkKind)
            return code;
        if (CodeScheme.Check(code, kind) is { } problem)
        {
            LedgerFields.Add(problems, "code", $"code ({CodeScheme.Name} scheme): {problem}");
            return null;
        }

        return code;
    }

    /// <summary>
    /// A tenant is a bureau, utility or county; <c>*</c> is how access control writes "every tenant", so a device owned
    /// by "*" would be in no one's scope but look like everyone's.
    /// </summary>
    private static string? CheckTenant(string? tenant, Dictionary<string, List<string>> problems)
    {
        if (tenant != Access.TenantScope.AllTenantsMark)
            return tenant;
        LedgerFields.Add(problems, "tenant", $"tenant: expected the id of the tenant owning the device, found '{tenant}', which stands for every tenant");
        return null;
    }

    private async Task CheckGatewayAsync(string code, string gateway, Dictionary<string, List<string>> problems, CancellationToken cancellationToken)
    {
        if (string.Equals(gateway, code, StringComparison.Ordinal))
        {
            LedgerFields.Add(problems, "gateway", $"gateway: expected another device than the device itself, found '{gateway}'");
            return;
        }

        var held = await _store.FindDeviceAsync(gateway, cancellationToken).ConfigureAwait(false);
        if (held is null)
            LedgerFields.Add(problems, "gateway", $"gateway: expected the code of a registered gateway, found '{gateway}', which the ledger does not have");
        else if (held.Kind != DeviceKind.Gateway)
            LedgerFields.Add(problems, "gateway", $"gateway: expected a gateway, found '{gateway}' of kind {LedgerNames.Of(held.Kind)}");
        else if (held.State == LifecycleState.Decommissioned)
            LedgerFields.Add(problems, "gateway", $"gateway: expected a gateway in use, found '{gateway}', decommissioned");
    }

    private static DeviceListItem Registered(LedgerDevice device, DeviceSummary? summary) =>
        new(device.Code, device.Model ?? summary?.Model, device.Gateway ?? summary?.Gateway, summary?.FirstSeen, summary?.LastSeen,
            summary?.Readings ?? 0, Registered: true, device.Kind, device.Tenant, device.Location?.District, device.State, device.Firmware,
            device.Tags);

    private static DeviceListItem Unregistered(DeviceSummary summary) =>
        new(summary.Id, summary.Model, summary.Gateway, summary.FirstSeen, summary.LastSeen, summary.Readings,
            Registered: false, Kind: null, Tenant: null, District: null, State: null, Firmware: null, Tags: []);

    internal static LedgerFailure UnknownDevice(string code) =>
        LedgerFailure.NotFound("id", $"id: expected a device registered in the ledger, found '{LedgerFields.Printable(code)}'");

    internal static LedgerFailure Decommissioned(LedgerDevice device) =>
        LedgerFailure.Conflict(
            "Device decommissioned",
            "id",
            $"id: expected a device in use, found '{device.Code}' decommissioned at {device.History[^1].At:O}");

    private static LedgerFailure ChangedMeanwhile(string code) =>
        LedgerFailure.Conflict("Device changed meanwhile", "id", $"id: '{code}' kept changing while this change was applied; read it again and retry");

    private DateTimeOffset Now()
    {
        // Stores keep milliseconds; an answer should show what a later read returns.
        var now = _timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Code} ({Kind}) for {Tenant} by {By}; {Warnings} duplicate warnings")]
    private static partial void LogRegistered(ILogger logger, string code, string kind, string tenant, string by, int warnings);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated {Code} to revision {Revision}")]
    private static partial void LogUpdated(ILogger logger, string code, long revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Code} from {From} to {To} by {By}: {Reason}")]
    private static partial void LogMoved(ILogger logger, string code, string from, string to, string by, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Code} duplicates the sensing of {Count} devices nearby, the nearest {Other} at {Distance} m")]
    private static partial void LogDuplicates(ILogger logger, string code, int count, string other, double distance);
}
