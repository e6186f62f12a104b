using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>The firmware a model should run: configured, or the version most of its devices run.</summary>
/// <param name="Version">The version.</param>
/// <param name="Running">Devices of the model running it; 0 when configured.</param>
/// <param name="Devices">Devices of the model with a known version; 0 when configured.</param>
public sealed record FirmwareTarget(string Version, int Running, int Devices)
{
    /// <summary>
    /// The target of every model: <see cref="HealthOptions.TargetFirmware"/> where configured, else the version that
    /// strictly more devices of the model run than any other (no target on a tie, nor with a single device).
    /// </summary>
    public static IReadOnlyDictionary<string, FirmwareTarget> From(HealthOptions options, IEnumerable<LedgerDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(devices);
        var targets = new Dictionary<string, FirmwareTarget>(StringComparer.Ordinal);
        foreach (var model in devices.Where(d => d.Model is not null && d.Firmware is not null && d.State != LifecycleState.Decommissioned).GroupBy(d => d.Model!, StringComparer.Ordinal))
        {
            var versions = model.GroupBy(d => d.Firmware!, StringComparer.Ordinal)
                .Select(g => (Version: g.Key, Count: g.Count()))
                .OrderByDescending(v => v.Count)
                .ThenBy(v => v.Version, StringComparer.Ordinal)
                .ToList();
            var total = versions.Sum(v => v.Count);
            if (total >= 2 && (versions.Count == 1 || versions[0].Count > versions[1].Count))
                targets[model.Key] = new FirmwareTarget(versions[0].Version, versions[0].Count, total);
        }

        foreach (var (model, version) in options.TargetFirmware)
            targets[model] = new FirmwareTarget(version, 0, 0);
        return targets;
    }
}
