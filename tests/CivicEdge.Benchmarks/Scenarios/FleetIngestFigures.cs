using CivicEdge.Simulators.Load;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>What the fleet persisted under a sustained load, and what that cost it.</summary>
/// <param name="Store">The store it ran on: litedb or postgresql.</param>
/// <param name="Gateways">Simulated gateways, each its own MQTT connection.</param>
/// <param name="DevicesPerGateway">Readings per batch.</param>
/// <param name="Points">Points per reading.</param>
/// <param name="Load">What the load generator saw acknowledged as persisted, after its warm-up.</param>
/// <param name="FleetCpuPercent">The fleet process's CPU time over wall time, in % of one core.</param>
/// <param name="FleetPeakResidentMegabytes">Its highest resident memory by the end of the run.</param>
internal sealed record FleetIngestFigures(
    string Store,
    int Gateways,
    int DevicesPerGateway,
    int Points,
    LoadFigures Load,
    double FleetCpuPercent,
    double FleetPeakResidentMegabytes);
