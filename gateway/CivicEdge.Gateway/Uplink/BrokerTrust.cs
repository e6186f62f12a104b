using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace CivicEdge.Gateway.Uplink;

/// <summary>
/// Decides whether the broker's TLS certificate is trusted: it must carry the expected server name and chain to the
/// configured certificate authorities (or, with none configured, to the operating system's trust store). There is no
/// setting that accepts any certificate.
/// </summary>
public static class BrokerTrust
{
    /// <summary>Reads every certificate of a PEM file of certificate authorities.</summary>
    /// <exception cref="InvalidDataException">The file holds no certificate.</exception>
    public static X509Certificate2Collection LoadAuthorities(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        if (authorities.Count == 0)
            throw new InvalidDataException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        return authorities;
    }

    /// <summary>Reads the gateway's certificate and its private key from PEM files, usable for TLS client authentication.</summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePath, string keyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // A key read from PEM is ephemeral; SslStream presents a client certificate reliably only with a persisted
        // one, which a round trip through PKCS#12 gives it.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// True when <paramref name="certificate"/> is acceptable for the connection; otherwise false with the reason.
    /// </summary>
    /// <param name="certificate">The broker's certificate.</param>
    /// <param name="chain">The chain the TLS stack built, for its extra certificates.</param>
    /// <param name="errors">What the TLS stack found; a name mismatch or a missing certificate is always fatal.</param>
    /// <param name="authorities">The configured certificate authorities; null to rely on the system trust store.</param>
    /// <param name="reason">Why the certificate was refused.</param>
    public static bool IsTrusted(
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors,
        X509Certificate2Collection? authorities,
        out string reason)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reason = "the broker presented no certificate";
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reason = "the broker's certificate does not carry the expected server name (Uplink:ServerName, else Uplink:Host)";
            return false;
        }

        if (authorities is null)
        {
            reason = errors == SslPolicyErrors.None ? string.Empty : $"the broker's certificate is not trusted by this system ({errors})";
            return errors == SslPolicyErrors.None;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Gateways often run without a route to CRL or OCSP servers; trust rests on the private CA.
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
                own.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        using var presented = new X509Certificate2(certificate);
        if (own.Build(presented))
        {
            reason = string.Empty;
            return true;
        }

        var problems = own.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct();
        reason = $"the broker's certificate '{presented.Subject}' does not chain to Uplink:CaFile ({string.Join("; ", problems)})";
        return false;
    }
}
