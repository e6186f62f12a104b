using System.Security.Cryptography.X509Certificates;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Uplink;

/// <summary>
/// The uplink against a real Mosquitto broker with TLS, a password file and no anonymous access, as a city runs it:
/// the gateway's own credentials get in, anything else is refused with a reason.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class MqttUplinkTlsTests
{
    private const string GatewayId = "gw-tls-01";
    private const string GatewayPassword = "s3cret-of-gw-tls-01";
    private const string FleetUser = "fleet";
    private const string FleetPassword = "fleet-password";

    private TempDirectory _directory = null!;
    private TestCertificates _certificates = null!;
    private MosquittoBroker _broker = null!;
    private string _passwordFile = null!;

    [OneTimeSetUp]
    public async Task StartBroker()
    {
        _directory = new TempDirectory();
        _certificates = TestCertificates.Create(_directory.Path, GatewayId);
        _passwordFile = _directory.File("gateway.password");
        await File.WriteAllTextAsync(_passwordFile, GatewayPassword + "\n");
        _broker = await MosquittoBroker.StartAsync(_directory.Path, _certificates, requireClientCertificate: false,
            (GatewayId, GatewayPassword), (FleetUser, FleetPassword));
    }

    [OneTimeTearDown]
    public async Task StopBroker()
    {
        await _broker.DisposeAsync();
        _directory.Dispose();
    }

    [Test]
    public async Task With_its_CA_and_its_own_password_the_gateway_connects_over_TLS_and_its_batches_reach_the_fleet()
    {
        await using var fleet = await FleetStandIn.ConnectAsync(_broker.Port, options => options
            .WithCredentials(FleetUser, FleetPassword)
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("127.0.0.1").WithTrustChain(Authorities())));
        await using var session = await Transport(Options()).ConnectAsync(CancellationToken.None);
        Assert.That((await fleet.NextStateAsync()).Online, Is.True);

        await session.PublishAsync(new TelemetryBatch(GatewayId, Streams.Telemetry,
            [new TelemetryRecord(1, "mtr-1", null, TestReadings.Start, [new PointValue("voltage", 230, "V", "voltage", Quality.Good)])]), CancellationToken.None);

        Assert.That((await fleet.NextBatchAsync()).Records.Single().Seq, Is.EqualTo(1));
        Assert.That((await session.Acks.ReadAsync().AsTask().WaitAsync(Wait.Limit)).Status, Is.EqualTo(AckStatus.Persisted));
    }

    [Test]
    public async Task A_wrong_password_is_refused_by_the_broker()
    {
        var options = Options();
        options.PasswordFile = null;
        options.Password = "not-the-password";

        var ex = await Assert.CatchAsync(async () => await Transport(options).ConnectAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("BadUserNameOrPassword").Or.Contain("NotAuthorized"));
    }

    [Test]
    public async Task Without_credentials_the_broker_refuses_the_gateway()
    {
        var options = Options();
        options.Username = null;
        options.PasswordFile = null;

        var ex = await Assert.CatchAsync(async () => await Transport(options).ConnectAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("NotAuthorized").Or.Contain("BadUserNameOrPassword"));
    }

    [Test]
    public async Task A_broker_certificate_that_does_not_chain_to_the_configured_CA_is_refused_with_the_reason()
    {
        var options = Options();
        options.CaFile = _certificates.OtherCaFile;

        var ex = await Assert.CatchAsync<IOException>(async () => await Transport(options).ConnectAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("does not chain to Uplink:CaFile").And.Contain("CN=broker.test"));
    }

    [Test]
    public async Task A_broker_certificate_for_another_name_is_refused_even_from_the_right_CA()
    {
        var options = Options();
        options.ServerName = "fleet.example.org";

        var ex = await Assert.CatchAsync<IOException>(async () => await Transport(options).ConnectAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("expected server name"));
    }

    [Test]
    public async Task Without_a_CA_file_the_system_trust_store_decides_and_does_not_know_a_private_CA()
    {
        var options = Options();
        options.CaFile = null;

        var ex = await Assert.CatchAsync<IOException>(async () => await Transport(options).ConnectAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("not trusted by this system"));
    }

    [Test]
    public async Task A_broker_that_requires_client_certificates_admits_the_gateway_with_its_certificate_only()
    {
        using var directory = new TempDirectory();
        await using var strict = await MosquittoBroker.StartAsync(directory.Path, _certificates, requireClientCertificate: true, (GatewayId, GatewayPassword));
        var without = Options(strict.Port);
        var with = Options(strict.Port);
        with.CertificateFile = _certificates.ClientCertificateFile;
        with.KeyFile = _certificates.ClientKeyFile;

        await Assert.CatchAsync(async () => await Transport(without).ConnectAsync(CancellationToken.None), "no certificate, no entry");
        await using var session = await Transport(with).ConnectAsync(CancellationToken.None);

        Assert.That(session.Closed.IsCancellationRequested, Is.False);
    }

    [Test]
    public void The_validator_accepts_this_configuration_and_names_the_keys_of_a_broken_one()
    {
        var validator = new UplinkOptionsValidator();
        var broken = Options();
        broken.CaFile = _directory.File("missing-ca.pem");
        broken.KeyFile = null;
        broken.CertificateFile = _certificates.ClientCertificateFile;
        broken.Password = "also";

        Assert.That(validator.Validate(null, Options()).Succeeded, Is.True);
        Assert.That(validator.Validate(null, broken).Failures, Is.EquivalentTo(new[]
        {
            $"Uplink:CaFile '{broken.CaFile}': Could not find file '{broken.CaFile}'.; expected a PEM file of one or more CA certificates.",
            "Uplink:CertificateFile is set without Uplink:KeyFile; expected both (PEM certificate and its private key) or neither.",
            "Uplink:Password and Uplink:PasswordFile are both set; expected one of them.",
        }));
    }

    [Test]
    public void Certificates_configured_for_a_plain_connection_are_refused_at_start_up()
    {
        var options = Options();
        options.Tls = false;

        var failures = new UplinkOptionsValidator().Validate(null, options).Failures;

        Assert.That(failures, Has.One.StartsWith("Uplink:CaFile is set but Uplink:Tls is false"));
    }

    private UplinkOptions Options(int? port = null) => new()
    {
        Host = "127.0.0.1",
        Port = port ?? _broker.Port,
        Tls = true,
        CaFile = _certificates.CaFile,
        Username = GatewayId,
        PasswordFile = _passwordFile,
    };

    private static MqttUplinkTransport Transport(UplinkOptions options) =>
        new(GatewayId, options, TimeProvider.System, NullLoggerFactory.Instance);

    private X509Certificate2Collection Authorities() => BrokerTrust.LoadAuthorities(_certificates.CaFile);
}
