using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Core.Alarms;
using CivicEdge.Fleet.Core.Health;

namespace CivicEdge.Fleet.Server.Health;

/// <summary>
/// The single-leader job that raises a fleet alarm (<see cref="AlarmType"/>) when a device in service goes offline and
/// clears it when the device is heard from again, every <see cref="HealthOptions.CheckInterval"/>. One node leads it
/// (PostgreSQL advisory lock; the one node on LiteDB), so a device going offline raises one alarm, not one per node.
/// </summary>
internal sealed partial class OfflineDetector(
    FleetHealth health,
    AlarmBook alarms,
    IAlarmStore store,
    HealthOptions options,
    ILeaderElection election,
    TimeProvider timeProvider,
    ILogger<OfflineDetector> logger) : LeaderService(election, timeProvider, logger)
{
    /// <summary>The type of the fleet's offline alarms.</summary>
    public const string AlarmType = "offline";

    protected override string Job => "offline-detector";

    protected override bool IsEnabled => options.OfflineAlarms;

    protected override async Task LeadAsync(CancellationToken leading)
    {
        while (true)
        {
            await CheckAsync(leading).ConfigureAwait(false);
            await Task.Delay(options.CheckInterval, TimeProvider, leading).ConfigureAwait(false);
        }
    }

    /// <summary>One look at the fleet: raises what went offline, clears what came back.</summary>
    /// <returns>The alarms raised and cleared.</returns>
    public async Task<(int Raised, int Cleared)> CheckAsync(CancellationToken cancellationToken)
    {
        var devices = await health.AssessAllAsync(cancellationToken).ConfigureAwait(false);
        var open = (await store.QueryAlarmsAsync(new AlarmQuery { States = AlarmQuery.OpenStates, Type = AlarmType, Limit = int.MaxValue }, cancellationToken).ConfigureAwait(false))
            .Select(a => a.Device)
            .ToHashSet(StringComparer.Ordinal);
        var now = TimeProvider.GetUtcNow();
        int raised = 0, cleared = 0;
        foreach (var device in devices)
        {
            // Only devices in service are expected to report; one being installed or repaired going quiet is no alarm.
            var watched = device.Lifecycle == LifecycleState.InService;
            if (watched && device.State == ConnectivityState.Offline && !open.Contains(device.Device))
            {
                var reason = device.Reasons.FirstOrDefault(r => r.Code == AlarmType)?.Message ?? "offline";
                await alarms.RaiseAsync(new AlarmRaise(device.Device, AlarmType, options.OfflineSeverity, AlarmSource.Fleet, $"Offline: {reason}", now), cancellationToken).ConfigureAwait(false);
                raised++;
            }
            else if (open.Contains(device.Device) && (device.State is ConnectivityState.Online or ConnectivityState.Late || !watched))
            {
                var note = watched ? $"heard from again at {device.LastSeen:yyyy-MM-ddTHH:mm:ssZ}" : "no longer in service";
                if (await alarms.ClearConditionAsync(device.Device, AlarmType, AlarmBook.FleetActor, now, note, cancellationToken).ConfigureAwait(false) is not null)
                    cleared++;
            }
        }

        // A device gone from the health list was decommissioned: its offline alarm has nothing left to wait for.
        foreach (var gone in open.Except(devices.Select(d => d.Device), StringComparer.Ordinal))
        {
            if (await alarms.ClearConditionAsync(gone, AlarmType, AlarmBook.FleetActor, now, "no longer in the fleet", cancellationToken).ConfigureAwait(false) is not null)
                cleared++;
        }

        if (raised + cleared > 0)
            LogChecked(logger, devices.Count, raised, cleared);
        return (raised, cleared);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Offline check of {Devices} devices: {Raised} alarms raised, {Cleared} cleared")]
    private static partial void LogChecked(ILogger logger, int devices, int raised, int cleared);
}
