namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// What the embedded broker's security did since the fleet started (<c>GET /api/broker</c>): every refusal is counted
/// with its reason, so nothing a device sends is dropped unseen.
/// </summary>
/// <param name="Embedded">Whether the fleet runs the broker itself.</param>
/// <param name="Authentication">Whether connections must authenticate against the ledger.</param>
/// <param name="Tls">Whether the broker speaks TLS.</param>
/// <param name="Sessions">Device sessions open now.</param>
/// <param name="ConnectionsAccepted">Connections accepted.</param>
/// <param name="ConnectionsRefused">Connections refused, by reason.</param>
/// <param name="PublishesRefused">Messages refused, by reason (<c>acl</c>, <c>oversized</c>).</param>
/// <param name="SubscriptionsRefused">Subscriptions refused by the topic ACL.</param>
/// <param name="DeliveriesRefused">Messages not delivered to a subscriber the ACL no longer lets read them.</param>
/// <param name="SessionsClosed">Sessions the fleet cut (revocation, decommissioning, expiry).</param>
/// <param name="MaxPayloadBytes">The largest payload accepted.</param>
/// <param name="HttpPasswordsRefused">Device credentials refused on the REST API (artifact downloads), by reason.</param>
/// <param name="HttpPasswordHashes">Device passwords on the REST API that cost a PBKDF2.</param>
/// <param name="HttpPasswordCacheHits">Device passwords on the REST API taken from the verified-password cache.</param>
public sealed record BrokerStatus(
    bool Embedded,
    bool Authentication,
    bool Tls,
    int Sessions,
    long ConnectionsAccepted,
    IReadOnlyDictionary<string, long> ConnectionsRefused,
    IReadOnlyDictionary<string, long> PublishesRefused,
    long SubscriptionsRefused,
    long DeliveriesRefused,
    long SessionsClosed,
    int MaxPayloadBytes,
    IReadOnlyDictionary<string, long>? HttpPasswordsRefused = null,
    long HttpPasswordHashes = 0,
    long HttpPasswordCacheHits = 0);
