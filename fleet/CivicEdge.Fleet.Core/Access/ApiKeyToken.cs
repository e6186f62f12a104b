using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace CivicEdge.Fleet.Core.Access;

/// <summary>
/// The text of an API key: <c>ce_&lt;id&gt;_&lt;secret&gt;</c>, with a 10-character public id (lowercase letters and
/// digits) the fleet looks the key up by, and a secret of 32 random bytes in unpadded base64url (43 characters).
/// </summary>
/// <remarks>
/// The fleet stores SHA-256 of the secret. A fast hash is enough here, unlike for passwords: the secret is 256 bits
/// from the system's random generator, so there is nothing to guess from the hash. The prefix makes a leaked key easy
/// to spot in logs and secret scanners.
/// </remarks>
public sealed class ApiKeyToken
{
    public const string Prefix = "ce_";
    public const int IdLength = 10;
    public const int MinSecretLength = 43;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private ApiKeyToken(string id, string secret)
    {
        Id = id;
        Secret = secret;
    }

    public string Id { get; }

    public string Secret { get; }

    /// <summary>A new key from the system's cryptographic random number generator.</summary>
    public static ApiKeyToken New()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new ApiKeyToken(id, secret);
    }

    /// <summary>Reads a key; false, with what was expected, when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ApiKeyToken? token, [NotNullWhen(false)] out string? problem)
    {
        token = null;
        if (string.IsNullOrEmpty(text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"expected an API key starting with '{Prefix}'";
            return false;
        }

        var separator = Prefix.Length + IdLength;
        var id = text.AsSpan(Prefix.Length, Math.Min(IdLength, text.Length - Prefix.Length));
        if (text.Length <= separator || text[separator] != '_' || id.ContainsAnyExcept(IdAlphabet))
        {
            problem = $"expected '{Prefix}', {IdLength} lowercase letters or digits, '_' and the secret";
            return false;
        }

        var secret = text[(separator + 1)..];
        if (secret.Length < MinSecretLength || secret.AsSpan().ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
        {
            problem = $"expected a secret of at least {MinSecretLength} base64url characters after the id";
            return false;
        }

        token = new ApiKeyToken(id.ToString(), secret);
        problem = null;
        return true;
    }

    /// <summary>SHA-256 of the secret, lowercase hex: what the fleet stores.</summary>
    public string HashSecret() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));

    /// <summary>True when this key's secret hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public bool Matches(string storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashSecret()), Encoding.ASCII.GetBytes(storedHash));
    }

    /// <summary>The whole key, as its holder sends it.</summary>
    public override string ToString() => $"{Prefix}{Id}_{Secret}";
}
