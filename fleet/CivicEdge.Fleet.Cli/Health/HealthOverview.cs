using CivicEdge.Fleet.Contracts.Health;

namespace CivicEdge.Fleet.Cli.Health;

/// <summary>What <c>civic health --json</c> writes: the roll-up and every device that is not ok.</summary>
public sealed record HealthOverview(HealthRollup Rollup, IReadOnlyList<DeviceHealthStatus> NotOk);
