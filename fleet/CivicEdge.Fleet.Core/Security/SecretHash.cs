using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>
/// Salted, slow hashes of device secrets: PBKDF2-HMAC-SHA512 (RFC 8018 §5.2), written the way Mosquitto's
/// <c>password_file</c> writes them (<c>$7$iterations$base64(salt)$base64(hash)</c>), so one stored hash serves the
/// embedded broker and an external Mosquitto alike.
/// </summary>
public static class SecretHash
{
    private const string Prefix = "$7$";

    /// <summary>Mosquitto 2.0 reads only 12-byte salts ("Unable to decode password salt" otherwise).</summary>
    private const int SaltBytes = 12;
    private const int HashBytes = 64;

    public static string Create(string secret, int iterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="encoded"/>; false for a malformed hash.</summary>
    public static bool Verify(string secret, string encoded)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(encoded);
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal))
            return false;

        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[1]);
            var expected = Convert.FromBase64String(parts[2]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
            return expected.Length > 0 && CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
