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

    /// <summary>
    /// How long a password that passed PBKDF2 is taken again without hashing (HTTP downloads: one download is many range
    /// requests). Each request still reads the device and its credentials from the ledger, so a revoked or expired
    /// credential, or a decommissioned device, is refused at its next request whatever this says.
    /// </summary>
    public TimeSpan PasswordCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most verified passwords kept at once; beyond it the oldest go first.</summary>
    public int PasswordCacheEntries { get; set; } = 10_000;

    /// <summary>Wrong passwords one device may be tried with per <see cref="FailedPasswordWindow"/> before further tries are refused unchecked.</summary>
    public int MaxFailedPasswords { get; set; } = 10;

    /// <summary>The window <see cref="MaxFailedPasswords"/> counts over, from the first failure in it.</summary>
    public TimeSpan FailedPasswordWindow { get; set; } = TimeSpan.FromMinutes(1);
}
