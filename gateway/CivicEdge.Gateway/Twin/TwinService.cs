using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.EdgeRules;
using CivicEdge.Gateway.Uplink;
using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Twin;

/// <summary>
/// Applies the gateway's buses and devices while it runs, from two sources: the local configuration files (watched)
/// and the twin's desired state from the fleet (retained on <see cref="Topics.Desired"/>). Each new configuration is
/// validated completely, as at start-up; an invalid one is refused, logged and reported, and the running one stays;
/// a valid one is applied by <see cref="AcquisitionService.ApplyAsync"/>, restarting only what changed. What runs,
/// where it came from and what became of the latest change is published retained on <see cref="Topics.Reported"/>.
/// </summary>
/// <remarks>
/// Precedence: once the fleet has sent a configuration it wins over the local file's <c>Buses</c> and <c>Devices</c>
/// (a valid local change is then reported as superseded) until the fleet withdraws it (a desired state without
/// configuration); it is kept in the gateway's database, so a restart without network comes back with it. Everything
/// else (<c>Gateway:*</c>, <c>Uplink:*</c>, <c>Health:*</c>) is read from the local configuration at start only.
/// Changes are handled one at a time, in arrival order.
/// </remarks>
public sealed partial class TwinService : BackgroundService
{
    private readonly AcquisitionService _acquisition;
    private readonly GatewayOptions _gateway;
    private readonly DevicesOptions _localAtStart;
    private readonly ProfileCatalog _profilesAtStart;
    private readonly ConfigurationFiles _files;
    private readonly DesiredStateStore _store;
    private readonly UplinkState _uplink;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TwinService> _logger;
    private readonly string _version;
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private ConfigurationOrigin _origin = ConfigurationOrigin.Local;
    private long? _appliedVersion;
    private long? _processedVersion;
    private ConfigurationOutcome? _lastDesired;
    private ConfigurationOutcome? _lastLocal;
    private long _changesHandled;
    private readonly RuleRunner? _rules;
    private IReadOnlyList<RuleSet>? _initialRuleSets;

    public TwinService(
        AcquisitionService acquisition,
        IOptions<GatewayOptions> gateway,
        IOptions<DevicesOptions> local,
        ProfileCatalog profiles,
        ConfigurationFiles files,
        DesiredStateStore store,
        UplinkState uplink,
        TimeProvider timeProvider,
        ILogger<TwinService> logger,
        string softwareVersion,
        RuleRunner? rules = null)
    {
        _rules = rules;
        _acquisition = acquisition ?? throw new ArgumentNullException(nameof(acquisition));
        _gateway = gateway?.Value ?? throw new ArgumentNullException(nameof(gateway));
        _localAtStart = local?.Value ?? throw new ArgumentNullException(nameof(local));
        _profilesAtStart = profiles ?? throw new ArgumentNullException(nameof(profiles));
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _uplink = uplink ?? throw new ArgumentNullException(nameof(uplink));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        ArgumentException.ThrowIfNullOrEmpty(softwareVersion);
        _version = softwareVersion;
    }

    /// <summary>Where the running buses and devices come from.</summary>
    public ConfigurationOrigin Origin
    {
        get
        {
            lock (_gate)
                return _origin;
        }
    }

    /// <summary>The desired version running; null while the local file applies.</summary>
    public long? AppliedVersion
    {
        get
        {
            lock (_gate)
                return _appliedVersion;
        }
    }

    /// <summary>How many changes (file or desired) have been handled, whatever their outcome; for tests and diagnostics.</summary>
    public long ChangesHandled => Interlocked.Read(ref _changesHandled);

    /// <summary>The reported state as it stands.</summary>
    public ReportedState Reported
    {
        get
        {
            var devices = _acquisition.Pollers
                .Select(p => new ReportedDevice(p.DeviceId, p.Profile.Model, p.BusId, p.UnitId, p.Interval.TotalSeconds))
                .ToList();
            IReadOnlyList<string>? ruleSets = _rules is null ? null : [.. _rules.RuleSets.Select(r => $"{r.Id}@{r.Version}")];
            lock (_gate)
                return new ReportedState(_gateway.Id, _version, _timeProvider.GetUtcNow(), _origin, _appliedVersion, _lastDesired, _lastLocal, devices, ruleSets);
        }
    }

    /// <summary>Starts polling the configuration to begin with (the stored fleet one if valid, else the local file's), then listens for changes.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _acquisition.ApplyAsync(Initial(), cancellationToken).ConfigureAwait(false);
        if (_initialRuleSets is not null)
            _rules?.Replace(_initialRuleSets);
        _files.Watch(() => _changes.Writer.TryWrite(Change.LocalFile));
        _uplink.OnConnected(OnConnectedAsync);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _changes.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var report = await HandleAsync(change, stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _changesHandled);
                if (report && _uplink.Session is { } session)
                    await PublishReportedAsync(session, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a change not yet handled is read again from its source at the next start.
        }
    }

    private DeviceConfiguration Initial()
    {
        var stored = _store.Load(out var unreadable);
        if (unreadable is not null)
            LogStoredUnreadable(_logger, unreadable);
        if (stored is { Configuration: { } desired })
        {
            var failures = new List<string>();
            if (Build(desired, failures) is { } fromFleet && ReadRuleSets(desired, fromFleet.Profiles, failures, out _initialRuleSets))
            {
                LogStartingWithDesired(_logger, stored.Version);
                _origin = ConfigurationOrigin.Fleet;
                _appliedVersion = _processedVersion = stored.Version;
                _lastDesired = Outcome(stored.Version, ConfigurationStatus.Applied);
                return fromFleet;
            }

            // The profiles on disk changed since it was applied, say; the local file is the configuration to fall back on.
            LogStoredRefused(_logger, stored.Version, string.Join(" | ", failures));
            _processedVersion = stored.Version;
            _lastDesired = Outcome(stored.Version, ConfigurationStatus.Refused, failures);
        }

        var problems = new List<string>();
        return DeviceConfiguration.TryCreate(_localAtStart, _profilesAtStart, problems)
            ?? throw new OptionsValidationException(DevicesOptions.SectionName, typeof(DevicesOptions), problems);
    }

    private async Task OnConnectedAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        await session.SubscribeAsync(Topics.Desired(_gateway.Id), OnDesiredAsync, cancellationToken).ConfigureAwait(false);
        await PublishReportedAsync(session, cancellationToken).ConfigureAwait(false);
    }

    private Task OnDesiredAsync(ReadOnlySequence<byte> payload)
    {
        // An empty retained message only clears the broker's copy (MQTT 5.0 §3.3.1.3); it withdraws nothing.
        if (payload.IsEmpty)
            return Task.CompletedTask;
        try
        {
            var reader = new Utf8JsonReader(payload);
            var state = JsonSerializer.Deserialize(ref reader, ContractsJson.Default.DesiredState)
                ?? throw new JsonException("expected a desired state, found null");
            _changes.Writer.TryWrite(Change.Desired(state));
        }
        catch (JsonException ex)
        {
            _changes.Writer.TryWrite(Change.Malformed($"{Topics.Desired(_gateway.Id)}: expected a desired state as JSON, found {ex.Message}", PeekVersion(payload)));
        }

        return Task.CompletedTask;
    }

    /// <summary>Handles one change; true when the reported state changed.</summary>
    private Task<bool> HandleAsync(Change change, CancellationToken cancellationToken) => change switch
    {
        { Kind: ChangeKind.LocalFile } => OnLocalFileAsync(cancellationToken),
        { Kind: ChangeKind.Desired, State: { } state } => OnDesiredStateAsync(state, cancellationToken),
        _ => Task.FromResult(OnMalformed(change)),
    };

    private async Task<bool> OnLocalFileAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var configuration = ReadLocal(failures);
        foreach (var key in _files.ChangedBootstrapKeys())
            LogBootstrapKeyChanged(_logger, key);
        if (configuration is null)
        {
            LogLocalRefused(_logger, string.Join(" | ", failures));
            SetLocal(Outcome(null, ConfigurationStatus.Refused, failures));
            return true;
        }

        if (Origin == ConfigurationOrigin.Fleet)
        {
            LogLocalSuperseded(_logger, AppliedVersion);
            SetLocal(Outcome(null, ConfigurationStatus.Superseded));
            return true;
        }

        if (_acquisition.Plan(configuration).IsEmpty)
            return false;
        if (await ApplyAsync(configuration, failures, cancellationToken).ConfigureAwait(false) is null)
        {
            SetLocal(Outcome(null, ConfigurationStatus.Refused, failures));
            return true;
        }

        SetLocal(Outcome(null, ConfigurationStatus.Applied));
        return true;
    }

    private async Task<bool> OnDesiredStateAsync(DesiredState state, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // The broker hands the retained desired state over again on every connection: once handled, a version is
            // only reported again.
            if (_processedVersion == state.Version)
                return false;
            _processedVersion = state.Version;
        }

        var failures = new List<string>();
        if (state.Configuration is null)
            return await WithdrawAsync(state.Version, cancellationToken).ConfigureAwait(false);

        var configuration = Build(state.Configuration, failures);
        IReadOnlyList<RuleSet>? ruleSets = null;
        if (configuration is null
            || !ReadRuleSets(state.Configuration, configuration.Profiles, failures, out ruleSets)
            || await ApplyAsync(configuration, failures, cancellationToken).ConfigureAwait(false) is null)
        {
            LogDesiredRefused(_logger, state.Version, string.Join(" | ", failures));
            SetDesired(Outcome(state.Version, ConfigurationStatus.Refused, failures));
            return true;
        }

        _rules?.Replace(ruleSets);
        _store.Save(state);
        lock (_gate)
        {
            _origin = ConfigurationOrigin.Fleet;
            _appliedVersion = state.Version;
        }

        LogDesiredApplied(_logger, state.Version);
        SetDesired(Outcome(state.Version, ConfigurationStatus.Applied));
        return true;
    }

    private async Task<bool> WithdrawAsync(long version, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        if (Origin == ConfigurationOrigin.Fleet)
        {
            var local = ReadLocal(failures);
            if (local is null || await ApplyAsync(local, failures, cancellationToken).ConfigureAwait(false) is null)
            {
                failures.Insert(0, "The fleet withdrew its configuration, but the local configuration cannot replace it:");
                LogDesiredRefused(_logger, version, string.Join(" | ", failures));
                SetDesired(Outcome(version, ConfigurationStatus.Refused, failures));
                return true;
            }
        }

        _rules?.Replace(null);
        _store.Delete();
        lock (_gate)
        {
            _origin = ConfigurationOrigin.Local;
            _appliedVersion = null;
        }

        LogWithdrawn(_logger, version);
        SetDesired(Outcome(version, ConfigurationStatus.Applied));
        return true;
    }

    private bool OnMalformed(Change change)
    {
        LogDesiredRefused(_logger, change.Version ?? 0, change.Error!);
        SetDesired(Outcome(change.Version, ConfigurationStatus.Refused, [change.Error!]));
        return true;
    }

    private async Task<ReconfigurationPlan?> ApplyAsync(DeviceConfiguration configuration, List<string> failures, CancellationToken cancellationToken)
    {
        try
        {
            return await _acquisition.ApplyAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Masters and pollers are made before anything stops, so the running configuration is untouched.
            failures.Add($"The configuration is valid but could not be started: {ex.Message}");
            return null;
        }
    }

    private DeviceConfiguration? ReadLocal(List<string> failures)
    {
        var options = _files.ReadDevices(failures);
        var profiles = options is null ? null : DeviceConfiguration.LoadProfiles(_gateway.ProfilesPath!, [], failures);
        return options is null || profiles is null || failures.Count > 0 ? null : DeviceConfiguration.TryCreate(options, profiles, failures);
    }

    private DeviceConfiguration? Build(DesiredConfiguration desired, List<string> failures)
    {
        var options = DesiredConfigurationReader.Read(desired, failures);
        var profiles = DeviceConfiguration.LoadProfiles(_gateway.ProfilesPath!, desired.Profiles ?? [], failures);
        return profiles is null || failures.Count > 0 ? null : DeviceConfiguration.TryCreate(options, profiles, failures);
    }

    /// <summary>
    /// The desired rule sets, each validated against <paramref name="profiles"/> (the desired ones included); null when
    /// the fleet sends none. False, with every loader error in <paramref name="failures"/>, when any is invalid: a bad
    /// rule set refuses the whole desired configuration, and the running one stays.
    /// </summary>
    private bool ReadRuleSets(DesiredConfiguration desired, ProfileCatalog profiles, List<string> failures, out IReadOnlyList<RuleSet>? ruleSets)
    {
        ruleSets = null;
        if (desired.RuleSets is null)
            return true;
        if (_rules is null)
        {
            failures.Add("ruleSets: expected none, since this gateway runs no edge rules (Rules:Enabled is false); found " + desired.RuleSets.Count);
            return false;
        }

        var catalog = new ProfilePointCatalog(profiles);
        var loaded = new List<RuleSet>();
        var before = failures.Count;
        for (var i = 0; i < desired.RuleSets.Count; i++)
        {
            try
            {
                var ruleSet = RuleSetLoader.Parse(desired.RuleSets[i] ?? "", $"ruleSets[{i}]", catalog);
                if (loaded.Any(r => r.Id == ruleSet.Id))
                    failures.Add($"ruleSets[{i}]: expected each rule set id once; found '{ruleSet.Id}' again");
                loaded.Add(ruleSet);
            }
            catch (RuleSetException ex)
            {
                failures.AddRange(ex.Errors.Select(e => e.ToString()));
            }
        }

        ruleSets = loaded;
        return failures.Count == before;
    }

    private async Task PublishReportedAsync(IUplinkSession session, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(Reported, ContractsJson.Default.ReportedState);
        try
        {
            await session.PublishAsync(Topics.Reported(_gateway.Id), payload, retain: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Published again on the next connection.
            LogReportFailed(_logger, ex.Message);
        }
    }

    private ConfigurationOutcome Outcome(long? version, ConfigurationStatus status, IReadOnlyList<string>? errors = null) =>
        new(version, status, errors ?? [], _timeProvider.GetUtcNow());

    private void SetDesired(ConfigurationOutcome outcome)
    {
        lock (_gate)
            _lastDesired = outcome;
    }

    private void SetLocal(ConfigurationOutcome outcome)
    {
        lock (_gate)
            _lastLocal = outcome;
    }

    private static long? PeekVersion(ReadOnlySequence<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out var version)
                && version.TryGetInt64(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private enum ChangeKind
    {
        LocalFile,
        Desired,
        Malformed,
    }

    private sealed record Change(ChangeKind Kind, DesiredState? State, string? Error, long? Version)
    {
        public static readonly Change LocalFile = new(ChangeKind.LocalFile, null, null, null);

        public static Change Desired(DesiredState state) => new(ChangeKind.Desired, state, null, state.Version);

        public static Change Malformed(string error, long? version) => new(ChangeKind.Malformed, null, error, version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting with the fleet's configuration, desired version {Version}, kept from before the restart")]
    private static partial void LogStartingWithDesired(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fleet's configuration kept from before the restart (desired version {Version}) is no longer valid; starting with the local file's: {Errors}")]
    private static partial void LogStoredRefused(ILogger logger, long version, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fleet's configuration kept from before the restart is ignored: {Problem}")]
    private static partial void LogStoredUnreadable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the changed local configuration; the running one stays: {Errors}")]
    private static partial void LogLocalRefused(ILogger logger, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The local configuration changed, but the fleet's (desired version {Version}) takes precedence; it applies once the fleet withdraws its own")]
    private static partial void LogLocalSuperseded(ILogger logger, long? version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key} changed in the configuration; it is read at start only and takes effect at the next restart")]
    private static partial void LogBootstrapKeyChanged(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused desired version {Version}; the running configuration stays: {Errors}")]
    private static partial void LogDesiredRefused(ILogger logger, long version, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied desired version {Version} from the fleet")]
    private static partial void LogDesiredApplied(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "The fleet withdrew its configuration (desired version {Version}); the local file's applies")]
    private static partial void LogWithdrawn(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the reported state; it goes out again on the next connection: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string error);
}
