using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CivicEdge.Fleet.Server;

/// <summary>Healthy while the fleet's MQTT client is connected to the broker and subscribed.</summary>
internal sealed class IngestHealthCheck(MqttIngestService ingest) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ingest.IsReceiving
            ? HealthCheckResult.Healthy("Receiving from the MQTT broker.")
            : HealthCheckResult.Unhealthy("Not connected to the MQTT broker."));
}
