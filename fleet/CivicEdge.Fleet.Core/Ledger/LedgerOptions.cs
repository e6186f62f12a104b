using CivicEdge.Fleet.Core.Ledger.Codes;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>The device ledger's rules (<c>Fleet:Ledger</c>).</summary>
public sealed class LedgerOptions
{
    public const string Section = "Fleet:Ledger";

    /// <summary>
    /// The unified device code scheme: <c>province</c> (the default: division, class, serial, check character),
    /// <c>pattern</c> (<see cref="CodePattern"/> and <see cref="CodeCheckCharacter"/>) or <c>topic-level</c> (any code
    /// that is a safe MQTT topic level).
    /// </summary>
    public string CodeScheme { get; set; } = ProvinceDeviceCodeScheme.SchemeName;

    /// <summary>For the <c>pattern</c> scheme: the regular expression a whole code must match.</summary>
    public string CodePattern { get; set; } = string.Empty;

    /// <summary>For the <c>pattern</c> scheme: <c>none</c>, <c>mod37-36</c> or <c>mod11-10</c>.</summary>
    public string CodeCheckCharacter { get; set; } = PatternDeviceCodeScheme.NoCheck;

    /// <summary>
    /// Devices sensing the same thing closer than this are reported as duplicates when one is registered or moved
    /// (FR-04); 0 turns the check off.
    /// </summary>
    public double DuplicateRadiusMetres { get; set; } = 100;

    /// <summary>How long a claim token is valid when its request names no lifetime.</summary>
    public TimeSpan ClaimTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The longest lifetime a claim token may be given.</summary>
    public TimeSpan MaxClaimTokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
