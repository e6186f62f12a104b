namespace CivicEdge.Fleet.Core.Security;

/// <summary>How the fleet issues and keeps credentials (<c>Fleet:Security</c>).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Fleet:Security";

    /// <summary>
    /// The folder holding the fleet CA (<c>ca.crt.pem</c>, <c>ca.key.pem</c>), the broker's TLS certificate and the
    /// fleet's own MQTT secret; empty for a <c>security</c> folder beside the fleet store. Keep it private (0700).
    /// </summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations per secret hash. Device secrets are 256 random bits, so the hash guards a leaked
    /// ledger, not a guessable password; every first connection after a restart pays for one hash per device.
    /// </summary>
    public int HashIterations { get; set; } = 10_000;

    /// <summary>How long a credential replaced by a rotation stays valid when the rotation names no grace period.</summary>
    public TimeSpan CredentialGracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a device certificate issued by the fleet CA is valid.</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(730);
}
