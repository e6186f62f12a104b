namespace CivicEdge.Fleet.Server.Access;

/// <summary>
/// Bearer JWTs from the city's unified identity system (seed requirements FR-36, 「统一认证」) (<c>Fleet:Access:Jwt</c>):
/// the fleet validates issuer, audience, lifetime and signature itself, with keys from a file, and maps the token's
/// claims onto a role and tenants.
/// </summary>
public sealed class JwtAccessOptions
{
    public bool Enabled { get; set; }

    /// <summary>The <c>iss</c> a token must carry.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The <c>aud</c> a token must carry, e.g. <c>civicedge-fleet</c>.</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>The identity provider's public signing keys: a JWKS file (JSON), or a PEM public key or certificate.</summary>
    public string SigningKeysFile { get; set; } = string.Empty;

    /// <summary>The claim naming the person, for the audit log.</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>The claim holding the person's role(s); the first one <see cref="Roles"/> maps wins.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim holding the tenants the person acts for (one value each); <c>*</c> for the whole city.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>
    /// The identity provider's role names and the fleet role each stands for, e.g. <c>Roles:water-dispatcher=operator</c>.
    /// Empty: the fleet's own names (admin, operator, installer, regulator) are taken as they are.
    /// </summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far apart the identity provider's clock and the fleet's may be.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
