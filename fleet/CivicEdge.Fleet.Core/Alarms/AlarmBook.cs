using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Core.Ledger;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>
/// Keeps the alarms: raises them (a repeat of an open alarm counts on it instead of opening another), clears them when
/// their condition ends, and takes people's steps through <see cref="AlarmLifecycle"/>. Every change is an optimistic
/// write, retried on a fresh read when another node or request changed the alarm meanwhile.
/// </summary>
public sealed partial class AlarmBook
{
    /// <summary>Who clears an alarm whose device reported the end of its condition.</summary>
    public const string DeviceActor = "device";

    /// <summary>Who raises and clears the fleet's own alarms.</summary>
    public const string FleetActor = "fleet";

    private const int MaxAttempts = 8;

    private readonly IAlarmStore _store;
    private readonly IDeviceLedgerStore _ledger;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AlarmBook> _logger;

    public AlarmBook(IAlarmStore store, IDeviceLedgerStore ledger, TimeProvider timeProvider, ILogger<AlarmBook> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _ledger = ledger;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Raises an alarm for <paramref name="raise"/>, or counts the repeat on the open one of its device and type.</summary>
    /// <returns>The alarm as stored.</returns>
    public async Task<Alarm> RaiseAsync(AlarmRaise raise, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(raise);
        ArgumentException.ThrowIfNullOrEmpty(raise.Device, nameof(raise));
        ArgumentException.ThrowIfNullOrEmpty(raise.Type, nameof(raise));
        var at = raise.At.ToUniversalTime();
        for (var attempt = 1; ; attempt++)
        {
            if (await _store.FindOpenAlarmAsync(raise.Device, raise.Type, cancellationToken).ConfigureAwait(false) is { } open)
            {
                var repeated = open with
                {
                    Count = open.Count + 1,
                    LastRaised = at > open.LastRaised ? at : open.LastRaised,
                    FirstRaised = at < open.FirstRaised ? at : open.FirstRaised,
                    Severity = raise.Severity > open.Severity ? raise.Severity : open.Severity,
                    Message = raise.Message,
                    Revision = open.Revision + 1,
                };
                if (await _store.TryUpdateAlarmAsync(repeated, open.Revision, cancellationToken).ConfigureAwait(false))
                    return repeated;
            }
            else
            {
                var device = await _ledger.FindDeviceAsync(raise.Device, cancellationToken).ConfigureAwait(false);
                var alarm = new Alarm(
                    0, raise.Device, raise.Type, raise.Severity, raise.Source, raise.Message, AlarmState.Raised, at, at, 1, null,
                    device?.Tenant, device?.Location?.District,
                    [new AlarmStep(AlarmState.Raised, raise.Source == AlarmSource.Fleet ? FleetActor : DeviceActor, at, raise.Message, null)], 1);
                if (await _store.TryAddAlarmAsync(alarm, cancellationToken).ConfigureAwait(false) is { } added)
                {
                    LogRaised(_logger, added.Id, added.Device, added.Type, added.Severity.ToString());
                    return added;
                }
            }

            if (attempt == MaxAttempts)
                throw new InvalidOperationException($"Alarm {raise.Type} of {raise.Device}: changed by others {MaxAttempts} times in a row while raising it.");
        }
    }

    /// <summary>
    /// Clears the open alarm of <paramref name="device"/> of <paramref name="type"/> because its condition ended; null
    /// when none is open (a clear for an alarm already cleared or never raised changes nothing).
    /// </summary>
    public async Task<Alarm?> ClearConditionAsync(string device, string type, string by, DateTimeOffset at, string? note, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await _store.FindOpenAlarmAsync(device, type, cancellationToken).ConfigureAwait(false) is not { } open)
                return null;
            var cleared = AlarmLifecycle.Apply(open, AlarmAction.Clear, by, at, note, null)!;
            if (await _store.TryUpdateAlarmAsync(cleared, open.Revision, cancellationToken).ConfigureAwait(false))
            {
                LogCleared(_logger, cleared.Id, device, type, by);
                return cleared;
            }

            if (attempt == MaxAttempts)
                throw new InvalidOperationException($"Alarm {open.Id}: changed by others {MaxAttempts} times in a row while clearing it.");
        }
    }

    /// <summary>A person's step: acknowledge, assign, clear by hand or close, each with who, when and a note.</summary>
    public async Task<AlarmStepOutcome> StepAsync(long id, AlarmAction action, string by, string? note, string? assignee, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(by);
        for (var attempt = 1; ; attempt++)
        {
            if (await _store.FindAlarmAsync(id, cancellationToken).ConfigureAwait(false) is not { } alarm)
                return new AlarmStepOutcome(null, false, []);
            if (AlarmLifecycle.Apply(alarm, action, by, _timeProvider.GetUtcNow(), note, assignee) is not { } next)
                return new AlarmStepOutcome(alarm, false, AlarmLifecycle.Allowed(alarm.State));
            if (await _store.TryUpdateAlarmAsync(next, alarm.Revision, cancellationToken).ConfigureAwait(false))
                return new AlarmStepOutcome(next, true, AlarmLifecycle.Allowed(next.State));

            if (attempt == MaxAttempts)
                throw new InvalidOperationException($"Alarm {id}: changed by others {MaxAttempts} times in a row.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm {AlarmId} raised: {Type} of {DeviceId} ({Severity})")]
    private static partial void LogRaised(ILogger logger, long alarmId, string deviceId, string type, string severity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm {AlarmId} cleared by {By}: {Type} of {DeviceId}")]
    private static partial void LogCleared(ILogger logger, long alarmId, string deviceId, string type, string by);
}
