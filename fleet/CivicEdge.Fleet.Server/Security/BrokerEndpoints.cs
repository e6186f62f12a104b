using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Audit;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;
using CivicEdge.Fleet.Server.Access;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// <c>GET /api/broker</c>: what the embedded broker's security refused and the sessions open; <c>GET
/// /api/broker/mosquitto</c>: the ledger as an external Mosquitto's password and ACL files (hashes only, no secret).
/// Both are for admins: the files span every tenant, and the export is audited.
/// </summary>
internal static class BrokerEndpoints
{
    public static IEndpointRouteBuilder MapBrokerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/broker", Status)
            .RequirePermission(FleetPermission.ReadBroker)
            .WithSummary("The broker's security: authentication, TLS, open sessions and what it refused")
            .Produces<BrokerStatus>();
        endpoints.MapGet("/api/broker/mosquitto", MosquittoAsync)
            .RequirePermission(FleetPermission.ReadBroker)
            .WithSummary("The ledger as an external Mosquitto's password and ACL files (hashes only, never a secret)")
            .Produces<MosquittoFiles>();
        return endpoints;
    }

    private static IResult Status(
        BrokerCounters counters, BrokerSessions sessions, DevicePasswordVerifier passwords, IOptions<BrokerOptions> broker, IOptions<BrokerSecurityOptions> security) =>
        TypedResults.Json(
            new BrokerStatus(
                broker.Value.Embedded,
                security.Value.Authentication,
                security.Value.Tls.Enabled,
                sessions.Count,
                counters.ConnectionsAccepted,
                counters.ConnectionsRefused,
                counters.PublishesRefused,
                counters.SubscriptionsRefused,
                counters.DeliveriesRefused,
                counters.SessionsClosed,
                security.Value.MaxPayloadBytes,
                passwords.Refusals.ToDictionary(pair => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(pair.Key.ToString()), pair => pair.Value, StringComparer.Ordinal),
                passwords.SlowChecks,
                passwords.CacheHits),
            LedgerJson.Default.BrokerStatus);

    private static async Task<IResult> MosquittoAsync(
        IDeviceLedgerStore store,
        FleetSecurityFiles files,
        IOptions<SecurityOptions> security,
        IAuditTrail audit,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var devices = await store.QueryDevicesAsync(DeviceQuery.All, cancellationToken);
        var credentials = await store.ListAllCredentialsAsync(cancellationToken);
        var fleet = files.FleetIdentity;
        var written = MosquittoFilesWriter.Write(
            fleet.UserName, SecretHash.Create(fleet.Secret, security.Value.HashIterations), devices, credentials, timeProvider.GetUtcNow());
        await audit.RecordAsync(
            AuditActions.BrokerExport, "mosquitto", null, AuditOutcome.Succeeded,
            $"password and ACL files of {devices.Count} devices, {credentials.Count} credentials", cancellationToken);
        return TypedResults.Json(written, LedgerJson.Default.MosquittoFiles);
    }
}
