using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>
/// How the fleet's own MQTT client proves itself and checks the broker: the fleet's user and secret when the broker
/// authenticates (or a password file is configured), and TLS trusting <c>Fleet:Broker:Tls:CaFile</c>, the fleet CA
/// (embedded broker) or the system trust store (external broker without a CA file).
/// </summary>
internal sealed partial class IngestConnection(
    IOptions<BrokerOptions> broker,
    IOptions<BrokerSecurityOptions> security,
    FleetSecurityFiles files,
    ILogger<IngestConnection> logger)
{
    /// <summary>The user name the fleet's client connects with; null when it connects anonymously.</summary>
    public string? UserName =>
        security.Value.Authentication || !string.IsNullOrWhiteSpace(security.Value.PasswordFile) ? files.FleetIdentity.UserName : null;

    public void Apply(MqttClientOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = security.Value;
        if (options.Authentication || !string.IsNullOrWhiteSpace(options.PasswordFile))
        {
            var identity = files.FleetIdentity;
            builder.WithCredentials(identity.UserName, identity.Secret);
        }

        if (!options.Tls.Enabled)
            return;

        var authorities = Authorities(options.Tls);
        builder.WithTlsOptions(tls => tls
            .UseTls()
            .WithTargetHost(broker.Value.Host)
            .WithCertificateValidationHandler(args => IsTrusted(args.Certificate, args.Chain, args.SslPolicyErrors, authorities)));
    }

    private X509Certificate2Collection? Authorities(BrokerTlsOptions tls)
    {
        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(tls.CaFile))
            authorities.ImportFromPemFile(tls.CaFile);
        else if (broker.Value.Embedded)
            authorities.Add(X509Certificate2.CreateFromPem(files.Authority.CertificatePem));
        else
            return null;
        return authorities;
    }

    private bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            LogUntrusted(logger, broker.Value.Host, errors.ToString());
            return false;
        }

        if (authorities is null)
            return errors == SslPolicyErrors.None;

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(authorities);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
                own.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (own.Build(presented))
            return true;
        LogUntrusted(logger, broker.Value.Host, string.Join("; ", own.ChainStatus.Select(status => status.StatusInformation.Trim())));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The broker at {Host} presented a certificate the fleet does not trust: {Problem}")]
    private static partial void LogUntrusted(ILogger logger, string host, string problem);
}
