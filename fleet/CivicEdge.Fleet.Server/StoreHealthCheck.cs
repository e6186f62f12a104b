using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CivicEdge.Fleet.Server;

/// <summary>Healthy while the fleet store is open and answers.</summary>
internal sealed class StoreHealthCheck(IFleetStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.IsAvailableAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy("The fleet store is open.")
            : HealthCheckResult.Unhealthy("The fleet store is not available.");
}
