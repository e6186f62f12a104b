using System.Security.Cryptography;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// A signer's public key, as installers and the fleet trust it: an ECDSA P-256 key read from a PEM
/// <c>PUBLIC KEY</c> block (SubjectPublicKeyInfo, RFC 5480).
/// </summary>
public sealed class OtaPublicKey : IDisposable
{
    private readonly ECDsa _key;

    private OtaPublicKey(ECDsa key)
    {
        _key = key;
        var info = key.ExportSubjectPublicKeyInfo();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(info));
        Pem = key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>
    /// The key's fingerprint: SHA-256 of its DER SubjectPublicKeyInfo, 64 lowercase hex digits (the same bytes
    /// <c>openssl pkey -pubin -outform DER | sha256sum</c> hashes), so anyone can recompute it from the PEM.
    /// </summary>
    public string KeyId { get; }

    /// <summary>The key as a PEM <c>PUBLIC KEY</c> block.</summary>
    public string Pem { get; }

    /// <summary>Reads a PEM public key; the exception says what was expected and what was found.</summary>
    public static OtaPublicKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new FormatException($"expected a PEM 'PUBLIC KEY' block holding an ECDSA P-256 key, found none that could be read ({ex.Message})", ex);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new FormatException($"expected a PEM 'PUBLIC KEY' block holding an ECDSA P-256 key, found one that could not be read ({ex.Message})", ex);
        }
        return FromKey(key);
    }

    internal static OtaPublicKey FromKey(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            var found = curve.IsNamed ? curve.Oid.FriendlyName ?? curve.Oid.Value : "an explicit curve";
            key.Dispose();
            throw new FormatException($"expected an ECDSA key on NIST P-256 (1.2.840.10045.3.1.7), found {found}");
        }
        return new OtaPublicKey(key);
    }

    /// <summary>True when <paramref name="signature"/> is this key's ES256 signature over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
