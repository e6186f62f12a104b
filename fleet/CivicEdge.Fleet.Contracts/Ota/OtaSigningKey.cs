using System.Security.Cryptography;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>
/// A release signer's private key (ECDSA P-256), kept by whoever builds releases and never by the fleet. Read from and
/// written as a PEM <c>PRIVATE KEY</c> block (PKCS #8, RFC 5208), which <c>openssl pkey</c> also reads.
/// </summary>
public sealed class OtaSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private OtaSigningKey(ECDsa key)
    {
        _key = key;
        using var copy = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        PublicKey = OtaPublicKey.FromPem(copy.ExportSubjectPublicKeyInfoPem());
    }

    public OtaPublicKey PublicKey { get; }

    public static OtaSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a PEM private key; the exception says what was expected and what was found.</summary>
    public static OtaSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"expected a PEM 'PRIVATE KEY' or 'EC PRIVATE KEY' block holding an ECDSA P-256 key, found none that could be read ({ex.Message})", ex);
        }

        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (!parameters.Curve.IsNamed || parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new FormatException($"expected an ECDSA key on NIST P-256, found {parameters.Curve.Oid.FriendlyName ?? parameters.Curve.Oid.Value ?? "an explicit curve"}");
        }
        try
        {
            _ = key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new FormatException("expected a PEM 'PRIVATE KEY' block, found only a public key", ex);
        }
        return new OtaSigningKey(key);
    }

    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Signs <paramref name="manifestBytes"/> exactly as given: the signature covers these bytes, not a re-serialization.</summary>
    public OtaSignature Sign(ReadOnlySpan<byte> manifestBytes)
    {
        var value = _key.SignData(manifestBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new OtaSignature(PublicKey.KeyId, OtaSignature.Es256, Convert.ToBase64String(value));
    }

    public void Dispose()
    {
        PublicKey.Dispose();
        _key.Dispose();
    }
}
