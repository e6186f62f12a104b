using System.Security.Cryptography;
using System.Text;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>The random values the fleet hands out: device secrets, credential ids and claim tokens.</summary>
public static class DeviceSecrets
{
    /// <summary>Crockford's base 32: no I, L, O or U, so a token read aloud or typed on a phone is not misread.</summary>
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private const int ClaimTokenCharacters = 20;

    /// <summary>256 random bits, base64url without padding (43 characters).</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>96 random bits in lower-case hex: unique enough for a credential's id.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>100 random bits as 20 Crockford base-32 characters in groups of four: <c>7K3M-…</c>.</summary>
    public static string NewClaimToken()
    {
        var text = new StringBuilder(ClaimTokenCharacters + (ClaimTokenCharacters / 4));
        for (var i = 0; i < ClaimTokenCharacters; i++)
        {
            if (i > 0 && i % 4 == 0)
                text.Append('-');
            text.Append(Crockford[RandomNumberGenerator.GetInt32(Crockford.Length)]);
        }

        return text.ToString();
    }

    /// <summary>
    /// The hash a claim token is kept under: SHA-256 of the token in capitals without dashes or spaces, and with the
    /// letters people confuse read as the digits they stand for (O as 0, I and L as 1). The token's 100 random bits
    /// make a slow hash unnecessary.
    /// </summary>
    public static string HashClaimToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var normalized = new StringBuilder(token.Length);
        foreach (var character in token.ToUpperInvariant())
        {
            if (character is '-' or ' ')
                continue;
            normalized.Append(character switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                _ => character,
            });
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized.ToString())));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
