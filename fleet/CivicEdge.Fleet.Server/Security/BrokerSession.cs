using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// One device's connection to the embedded broker. Compared by reference: a device reconnecting with the same client id
/// takes its old session over, and the old one's disconnection must not remove the new one.
/// </summary>
internal sealed class BrokerSession(string clientId, DeviceIdentity identity)
{
    public string ClientId { get; } = clientId;

    public DeviceIdentity Identity { get; } = identity;

    /// <summary>When the session ends: its credential's validity, shortened by a rotation's grace period.</summary>
    public DateTimeOffset? ValidUntil { get; set; } = identity.ValidUntil;
}
