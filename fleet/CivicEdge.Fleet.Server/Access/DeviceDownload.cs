namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Endpoint metadata: a device authenticated with its own credential may call this endpoint for an artifact a live
/// campaign offers it (the route's <c>{artifactId}</c>); see <see cref="DeviceAccessHandler"/>.
/// </summary>
internal sealed record DeviceDownload;
