using CivicEdge.Fleet.Contracts.Access;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>Endpoint metadata: the permission an endpoint requires, for the API document.</summary>
internal sealed record RequiredPermission(FleetPermission Permission);
