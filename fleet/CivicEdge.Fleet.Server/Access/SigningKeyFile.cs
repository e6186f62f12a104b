using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace CivicEdge.Fleet.Server.Access;

/// <summary>Reads an identity provider's public signing keys from a JWKS document or a PEM public key or certificate.</summary>
internal static class SigningKeyFile
{
    /// <exception cref="InvalidOperationException">The file cannot be read or holds no usable key; the message names the file.</exception>
    public static IReadOnlyList<SecurityKey> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read '{path}': {exception.Message}", exception);
        }

        try
        {
            var keys = text.TrimStart().StartsWith('{') ? FromJwks(text) : FromPem(text);
            return keys.Count > 0
                ? keys
                : throw new InvalidOperationException($"'{path}' holds no signing key: expected a JWKS with RSA or EC keys, or a PEM public key or certificate");
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException or System.Text.Json.JsonException)
        {
            throw new InvalidOperationException(
                $"'{path}': expected a JWKS document or a PEM public key or certificate, found something unreadable: {exception.Message}", exception);
        }
    }

    private static List<SecurityKey> FromJwks(string json) => [.. new JsonWebKeySet(json).GetSigningKeys()];

    private static List<SecurityKey> FromPem(string pem)
    {
        if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            return [new X509SecurityKey(X509Certificate2.CreateFromPem(pem))];

        var fields = PemEncoding.Find(pem);
        var label = pem[fields.Label];
        if (label is "RSA PUBLIC KEY")
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return [new RsaSecurityKey(rsa)];
        }

        // A SubjectPublicKeyInfo ("PUBLIC KEY") holds RSA or EC; the algorithm is inside.
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return [new RsaSecurityKey(rsa)];
        }
        catch (CryptographicException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return [new ECDsaSecurityKey(ec)];
        }
    }
}
