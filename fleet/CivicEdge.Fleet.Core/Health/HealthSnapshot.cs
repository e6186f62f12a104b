using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>Everything health is judged from, read at one moment; <see cref="HealthAssessor"/> does no I/O.</summary>
/// <param name="At">The moment health is judged at.</param>
/// <param name="Ledger">The ledger's devices (decommissioned ones left out).</param>
/// <param name="Telemetry">The devices telemetry knows, with their last reading.</param>
/// <param name="Reports">The latest health report of each gateway, by gateway code.</param>
/// <param name="Sources">The last birth or death of each gateway or IP device, by code.</param>
/// <param name="LatestValues">The newest value of every point, by device; a device left out is not checked for quality or supply.</param>
/// <param name="OpenAlarms">Every open alarm.</param>
/// <param name="FirmwareTargets">The version each model should run, by model.</param>
public sealed record HealthSnapshot(
    DateTimeOffset At,
    IReadOnlyList<LedgerDevice> Ledger,
    IReadOnlyList<DeviceSummary> Telemetry,
    IReadOnlyDictionary<string, HealthReport> Reports,
    IReadOnlyDictionary<string, SourceState> Sources,
    IReadOnlyDictionary<string, IReadOnlyList<LatestValue>> LatestValues,
    IReadOnlyList<Alarm> OpenAlarms,
    IReadOnlyDictionary<string, FirmwareTarget> FirmwareTargets);
