using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Security;
using CivicEdge.Fleet.Core.Tests.Ledger;
using static CivicEdge.Fleet.Core.Tests.Ledger.LedgerRig;

namespace CivicEdge.Fleet.Core.Tests.Provisioning;

[Category("Unit")]
public sealed class DeviceCredentialsTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private LedgerRig _rig = null!;

    [SetUp]
    public async Task SetUp()
    {
        _rig = new LedgerRig();
        await _rig.RegisterAsync(Registration("gw-1", DeviceKind.Gateway));
        await _rig.RegisterAsync(Registration("gw-2", DeviceKind.Gateway));
    }

    [TearDown]
    public void TearDown() => _rig.Dispose();

    [Test]
    public async Task A_password_is_shown_once_and_kept_only_as_a_salted_pbkdf2_hash()
    {
        var issued = (await _rig.Credentials.IssueAsync("gw-1", new CredentialRequest { By = "office" }, None)).Value!;

        var stored = _rig.Store.Credentials.Single();
        Assert.That(issued.Secret, Has.Length.EqualTo(43), "256 random bits, base64url");
        Assert.That(stored.PasswordHash, Does.StartWith("$7$1000$").And.Not.Contain(issued.Secret!));
        Assert.That(SecretHash.Verify(issued.Secret!, stored.PasswordHash!), Is.True);
    }

    [Test]
    public async Task Two_devices_never_get_the_same_secret()
    {
        var one = await _rig.IssuePasswordAsync("gw-1");
        var two = await _rig.IssuePasswordAsync("gw-2");

        Assert.That(one, Is.Not.EqualTo(two));
    }

    [Test]
    public async Task A_device_authenticates_with_its_code_and_secret_and_client_id()
    {
        var secret = await _rig.IssuePasswordAsync("gw-1");

        var plain = await Authenticate("gw-1", "gw-1", secret);
        var suffixed = await Authenticate("gw-1/sniffer", "gw-1", secret);

        Assert.That(plain.Device!.Code, Is.EqualTo("gw-1"));
        Assert.That(suffixed.Accepted, Is.True);
    }

    [Test]
    public async Task A_device_cannot_authenticate_with_another_devices_secret()
    {
        await _rig.IssuePasswordAsync("gw-1");
        var otherSecret = await _rig.IssuePasswordAsync("gw-2");

        var decision = await Authenticate("gw-1", "gw-1", otherSecret);

        Assert.That(decision.Refusal, Is.EqualTo(ConnectRefusal.BadPassword));
    }

    [Test]
    public async Task A_client_id_of_another_device_is_refused_so_no_session_can_be_taken_over()
    {
        var secret = await _rig.IssuePasswordAsync("gw-2");

        var decision = await Authenticate("gw-1", "gw-2", secret);
        var prefix = await Authenticate("gw-2x", "gw-2", secret);

        Assert.That(decision.Refusal, Is.EqualTo(ConnectRefusal.ClientIdMismatch));
        Assert.That(prefix.Refusal, Is.EqualTo(ConnectRefusal.ClientIdMismatch), "gw-2x could be another device's code");
    }

    [Test]
    public async Task An_unknown_device_or_one_without_credentials_is_refused()
    {
        Assert.That((await Authenticate("gw-9", "gw-9", "x")).Refusal, Is.EqualTo(ConnectRefusal.UnknownDevice));
        Assert.That((await Authenticate("gw-1", "gw-1", "x")).Refusal, Is.EqualTo(ConnectRefusal.NoActiveCredential));
        Assert.That((await Authenticate("anyone", null, null)).Refusal, Is.EqualTo(ConnectRefusal.NoCredentials));
    }

    [Test]
    public async Task A_revoked_credential_no_longer_authenticates_and_its_sessions_are_cut()
    {
        var secret = await _rig.IssuePasswordAsync("gw-1");
        Assert.That((await Authenticate("gw-1", "gw-1", secret)).Accepted, Is.True, "verified once, remembered");

        var revoked = await _rig.Credentials.RevokeAsync("gw-1", new RevocationRequest { By = "op", Reason = "stolen" }, None);

        Assert.That(revoked.Value!.Revoked.Single().RevocationReason, Is.EqualTo("stolen"));
        Assert.That(revoked.Value.SessionsClosed, Is.GreaterThanOrEqualTo(1));
        Assert.That((await Authenticate("gw-1", "gw-1", secret)).Refusal, Is.EqualTo(ConnectRefusal.NoActiveCredential));
    }

    [Test]
    public async Task A_rotation_keeps_the_old_secret_valid_for_the_grace_period_only()
    {
        var old = await _rig.IssuePasswordAsync("gw-1");
        var rotated = (await _rig.Credentials.RotateAsync("gw-1", new CredentialRequest { By = "op", Grace = TimeSpan.FromHours(1) }, None)).Value!;

        var during = await Authenticate("gw-1", "gw-1", old);
        _rig.Clock.Advance(TimeSpan.FromHours(1));
        var after = await Authenticate("gw-1", "gw-1", old);
        var fresh = await Authenticate("gw-1", "gw-1", rotated.Secret);

        Assert.That(during.Device!.ValidUntil, Is.EqualTo(T0.AddHours(1)), "a session opened now is cut then");
        Assert.That(_rig.Sessions.Limited.Single(), Is.EqualTo(("gw-1", during.Device.CredentialId, T0.AddHours(1))), "and so are the sessions open already");
        Assert.That(after.Refusal, Is.EqualTo(ConnectRefusal.BadPassword));
        Assert.That(fresh.Device!.CredentialId, Is.EqualTo(rotated.Id));
    }

    [Test]
    public async Task A_rotation_revoking_the_old_credential_cuts_its_sessions_at_once()
    {
        await _rig.IssuePasswordAsync("gw-1");
        var oldId = _rig.Store.Credentials.Single().Id;

        await _rig.Credentials.RotateAsync("gw-1", new CredentialRequest { By = "op", RevokeOld = true }, None);

        Assert.That(_rig.Sessions.Closed.Single().CredentialId, Is.EqualTo(oldId));
        Assert.That(_rig.Store.Credentials.Single(credential => credential.Id == oldId).RevokedAt, Is.EqualTo(T0));
    }

    [Test]
    public async Task A_decommissioned_device_is_refused_even_with_a_valid_secret()
    {
        var secret = await _rig.IssuePasswordAsync("gw-1");
        _rig.Store.Overwrite(device => device with { State = LifecycleState.Decommissioned }, "gw-1");

        Assert.That((await Authenticate("gw-1", "gw-1", secret)).Refusal, Is.EqualTo(ConnectRefusal.Decommissioned));
    }

    [Test]
    public async Task A_certificate_issued_from_the_devices_signing_request_authenticates_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=whatever-the-device-says", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

        var issued = (await _rig.Credentials.IssueAsync("gw-1", new CredentialRequest { Kind = CredentialKind.Certificate, Csr = csr, By = "office" }, None)).Value!;
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem!).CopyWithPrivateKey(key);
        var decision = await _rig.Credentials.AuthenticateAsync(new ConnectAttempt("gw-1", null, null, certificate), None);

        Assert.That(issued.PrivateKeyPem, Is.Null, "the key never left the device");
        Assert.That(certificate.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo("gw-1"), "the common name is the device code, whatever the request said");
        Assert.That(decision.Device!.CredentialId, Is.EqualTo(issued.Id));
    }

    [Test]
    public async Task A_revoked_certificate_or_one_from_another_ca_is_refused()
    {
        var issued = (await _rig.Credentials.IssueAsync("gw-1", new CredentialRequest { Kind = CredentialKind.Certificate, By = "office" }, None)).Value!;
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem!, issued.PrivateKeyPem!);
        using var stranger = FleetCertificateAuthority.Create("another CA", T0.AddDays(-1), TimeSpan.FromDays(10));
        var foreign = stranger.IssueDeviceCertificate("gw-1", null, T0, T0.AddDays(5));
        using var foreignCertificate = X509Certificate2.CreateFromPem(foreign.CertificatePem, foreign.PrivateKeyPem!);

        await _rig.Credentials.RevokeAsync("gw-1", new RevocationRequest { Credential = issued.Id, By = "op", Reason = "lost" }, None);

        Assert.That((await _rig.Credentials.AuthenticateAsync(new ConnectAttempt("gw-1", null, null, certificate), None)).Refusal, Is.EqualTo(ConnectRefusal.RevokedCertificate));
        Assert.That((await _rig.Credentials.AuthenticateAsync(new ConnectAttempt("gw-1", null, null, foreignCertificate), None)).Refusal, Is.EqualTo(ConnectRefusal.UntrustedCertificate));
    }

    [Test]
    public async Task A_signing_request_that_is_not_one_is_refused_naming_the_csr_field()
    {
        var result = await _rig.Credentials.IssueAsync("gw-1", new CredentialRequest { Kind = CredentialKind.Certificate, Csr = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", By = "office" }, None);

        Assert.That(result.Failure!.Problems["csr"].Single(), Does.StartWith("csr: expected a PKCS#10 certificate signing request"));
        Assert.That(_rig.Store.Credentials, Is.Empty);
    }

    [Test]
    public async Task A_weak_rsa_key_is_refused()
    {
        using var key = RSA.Create(1024);
        var csr = new CertificateRequest("CN=gw-1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();

        var result = await _rig.Credentials.IssueAsync("gw-1", new CredentialRequest { Kind = CredentialKind.Certificate, Csr = csr, By = "office" }, None);

        Assert.That(result.Failure!.Problems["csr"].Single(), Is.EqualTo("csr: expected an RSA key of at least 2048 bits, found 1024 bits"));
    }

    private Task<ConnectDecision> Authenticate(string clientId, string? userName, string? password) =>
        _rig.Credentials.AuthenticateAsync(new ConnectAttempt(clientId, userName, password, null), None);
}
