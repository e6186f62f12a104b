using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Security;
using MQTTnet;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>
/// The embedded broker with <c>Fleet:Broker:Tls:Enabled</c>: TLS only, a server certificate of the fleet CA, and devices
/// authenticating by password or by a client certificate the fleet CA issued. The fleet's own client connects over TLS
/// too, or the host would never become ready.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BrokerTlsTests
{
    private FleetHost _fleet = null!;
    private HttpClient _http = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Timeout => _timeout.Token;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _fleet = new FleetHost(new Dictionary<string, string> { ["Fleet:Broker:Tls:Enabled"] = "true" });
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _fleet.StartAsync(starting.Token);
        _http = _fleet.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopFleet()
    {
        _http.Dispose();
        await _fleet.DisposeAsync();
    }

    [SetUp]
    public void StartTimeout() => _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

    [TearDown]
    public void StopTimeout() => _timeout.Dispose();

    [Test]
    public async Task A_device_with_its_password_connects_over_tls_trusting_the_fleet_ca_it_was_given()
    {
        var issued = await ProvisionAsync("tls-a1", new CredentialRequest { By = "test" });

        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "tls-a1", "tls-a1", issued.Secret, Timeout, Tls(issued.CaCertificatePem!));
        await device.SubscribeAsync(Topics.Ack("tls-a1"), Timeout);
        await device.PublishAsync(Topics.Telemetry("tls-a1"), Batches.Of("tls-a1", "tls-a1-meter", 1), Timeout);

        Assert.That((await device.NextAckAsync(Topics.Ack("tls-a1"), Timeout)).Status, Is.EqualTo(AckStatus.Persisted));
    }

    [Test]
    public async Task A_device_with_a_certificate_issued_from_its_signing_request_connects_without_a_password()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=tls-b1", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var issued = await ProvisionAsync("tls-b1", new CredentialRequest { Kind = CredentialKind.Certificate, Csr = csr, By = "test" });
        using var certificate = WithKey(X509Certificate2.CreateFromPem(issued.CertificatePem!).CopyWithPrivateKey(key));

        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "tls-b1", "tls-b1", null, Timeout, Tls(issued.CaCertificatePem!, certificate));
        await device.SubscribeAsync(Topics.Ack("tls-b1"), Timeout);
        await device.PublishAsync(Topics.Telemetry("tls-b1"), Batches.Of("tls-b1", "tls-b1-meter", 1), Timeout);

        Assert.That((await device.NextAckAsync(Topics.Ack("tls-b1"), Timeout)).Status, Is.EqualTo(AckStatus.Persisted));
    }

    [Test]
    public async Task A_certificate_of_another_ca_is_refused()
    {
        var issued = await ProvisionAsync("tls-c1", new CredentialRequest { By = "test" });
        using var stranger = FleetCertificateAuthority.Create("stranger", DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromDays(30));
        var forged = stranger.IssueDeviceCertificate("tls-c1", null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(10));
        using var certificate = WithKey(X509Certificate2.CreateFromPem(forged.CertificatePem, forged.PrivateKeyPem!));

        var (device, result) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "tls-c1", "tls-c1", null, Timeout, Tls(issued.CaCertificatePem!, certificate));
        await device.DisposeAsync();

        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
    }

    [Test]
    public async Task A_revoked_certificate_is_cut_off_and_refused()
    {
        var issued = await ProvisionAsync("tls-d1", new CredentialRequest { Kind = CredentialKind.Certificate, By = "test" });
        using var certificate = WithKey(X509Certificate2.CreateFromPem(issued.CertificatePem!, issued.PrivateKeyPem!));
        await using var device = await DeviceClient.AcceptedAsync(_fleet.MqttPort, "tls-d1", "tls-d1", null, Timeout, Tls(issued.CaCertificatePem!, certificate));

        using var revoked = await _http.PostAsJsonAsync(
            "/api/devices/tls-d1/credentials/revoke", new RevocationRequest { Credential = issued.Id, By = "test", Reason = "key leaked" }, LedgerJson.Default.RevocationRequest, Timeout);
        revoked.EnsureSuccessStatusCode();
        await device.Disconnected.WaitAsync(Timeout);
        var (again, result) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "tls-d1", "tls-d1", null, Timeout, Tls(issued.CaCertificatePem!, certificate));
        await again.DisposeAsync();

        Assert.That(result, Is.EqualTo(MqttClientConnectResultCode.BadUserNameOrPassword));
    }

    [Test]
    public async Task The_port_speaks_tls_only()
    {
        var secret = await _fleet.ProvisionAsync("tls-e1", Timeout);

        using var quick = CancellationTokenSource.CreateLinkedTokenSource(Timeout);
        quick.CancelAfter(TimeSpan.FromSeconds(5));
        DeviceClient? device = null;
        try
        {
            (device, _) = await DeviceClient.ConnectAsync(_fleet.MqttPort, "tls-e1", "tls-e1", secret, quick.Token);
        }
        catch (Exception exception) when (exception is not AssertionException)
        {
            // Refused at the transport: what a plain client must get.
        }

        Assert.That(device?.IsConnected ?? false, Is.False);
        if (device is not null)
            await device.DisposeAsync();
    }

    private async Task<IssuedCredential> ProvisionAsync(string code, CredentialRequest credential)
    {
        await _fleet.ProvisionAsync(code, Timeout);
        using var response = await _http.PostAsJsonAsync($"/api/devices/{code}/credentials", credential, LedgerJson.Default.CredentialRequest, Timeout);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, Timeout))!;
    }

    /// <summary>TLS trusting only the fleet CA, for the name 127.0.0.1, presenting <paramref name="certificate"/> if given.</summary>
    private static Action<MqttClientOptionsBuilder> Tls(string caPem, X509Certificate2? certificate = null) => options =>
        options.WithTlsOptions(tls =>
        {
            tls.UseTls()
                .WithTargetHost("127.0.0.1")
                .WithCertificateValidationHandler(args =>
                {
                    if (args.SslPolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || args.Certificate is null)
                        return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(caPem));
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var presented = X509CertificateLoader.LoadCertificate(args.Certificate.GetRawCertData());
                    return chain.Build(presented);
                });
            if (certificate is not null)
                tls.WithClientCertificates([certificate]);
        });

    /// <summary>SslStream presents a client certificate reliably only with a persisted key: a round trip through PKCS#12.</summary>
    private static X509Certificate2 WithKey(X509Certificate2 certificate)
    {
        using (certificate)
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
