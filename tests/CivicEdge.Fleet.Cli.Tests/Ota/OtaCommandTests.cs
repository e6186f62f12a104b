using System.Net;
using System.Security.Cryptography;
using CivicEdge.Fleet.Cli.Ota;
using CivicEdge.Fleet.Contracts.Ota;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests.Ota;

/// <summary><c>civic ota keygen|sign|verify|upload|list</c> on real files in a scratch directory.</summary>
[Category("Unit")]
public sealed class OtaCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 1, 30, 0, TimeSpan.Zero);
    private string _dir = string.Empty;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("civic-ota-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Keygen_writes_a_private_key_only_its_owner_can_read_and_the_public_key_with_its_id()
    {
        var (exit, output) = await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);

        Assert.That(exit, Is.Zero, output);
        var privatePath = Path.Combine(_dir, "release.key.pem");
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(privatePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        using var key = OtaSigningKey.FromPem(File.ReadAllText(privatePath));
        using var publicKey = OtaPublicKey.FromPem(File.ReadAllText(Path.Combine(_dir, "release.pub.pem")));
        Assert.That(publicKey.KeyId, Is.EqualTo(key.PublicKey.KeyId));
        Assert.That(output, Does.Contain(key.PublicKey.KeyId));
    }

    [Test]
    public async Task Keygen_never_overwrites_an_existing_signing_key()
    {
        await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);
        var before = File.ReadAllText(Path.Combine(_dir, "release.key.pem"));

        var (exit, output) = await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);

        Assert.That(exit, Is.EqualTo(CivicCommandLine.UsageExitCode));
        Assert.That(output, Does.Contain("already exists"));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "release.key.pem")), Is.EqualTo(before));
    }

    [Test]
    public async Task A_signed_package_verifies_against_the_public_key_and_carries_the_flags_in_its_manifest()
    {
        var payload = await WritePayloadAsync(100_000);
        await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);

        var (signed, signOutput) = await RunAsync(null, "ota", "sign", payload, "--key", Key, "--product", "pole-controller", "--kind", "firmware",
            "--model", "slc-200", "--model", "slc-210", "--version", "2.4.0", "--min-version", "2.0.0", "--notes", "Dims without flicker.");
        var (verified, verifyOutput) = await RunAsync(null, "ota", "verify", Package, "--public-key", PublicKey, "--model", "slc-210", "--running", "2.3.1");

        Assert.That(signed, Is.Zero, signOutput);
        Assert.That(verified, Is.Zero, verifyOutput);
        Assert.That(verifyOutput, Does.Contain("valid").And.Contain("pole-controller@2.4.0").And.Contain("slc-200, slc-210"));
        var header = OtaPackageFormat.ReadHeader(File.ReadAllBytes(Package)).Header!;
        Assert.That(header.Manifest.Created, Is.EqualTo(Now));
        Assert.That((header.Manifest.MinimumVersion, header.Manifest.ReleaseNotes, header.Manifest.Size), Is.EqualTo(("2.0.0", "Dims without flicker.", 100_000L)));
    }

    [Test]
    public async Task A_package_whose_payload_was_changed_is_refused_with_exit_4_and_both_hashes()
    {
        var payload = await WritePayloadAsync(10_000);
        await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);
        await RunAsync(null, "ota", "sign", payload, "--key", Key, "--product", "pole-controller", "--kind", "firmware", "--model", "slc-200", "--version", "2.4.0");
        var bytes = File.ReadAllBytes(Package);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(Package, bytes);

        var (exit, output) = await RunAsync(null, "ota", "verify", Package, "--public-key", PublicKey);

        Assert.That(exit, Is.EqualTo(OtaCommands.RefusedExitCode));
        Assert.That(output, Does.Contain("HashMismatch").And.Contain("expected a payload with SHA-256"));
    }

    [Test]
    public async Task A_package_signed_by_another_key_is_refused_naming_its_key()
    {
        var payload = await WritePayloadAsync(1000);
        await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);
        await RunAsync(null, "ota", "keygen", "other", "--dir", _dir);
        await RunAsync(null, "ota", "sign", payload, "--key", Path.Combine(_dir, "other.key.pem"), "--product", "pole-controller", "--kind", "firmware", "--model", "slc-200", "--version", "2.4.0");

        var (exit, output) = await RunAsync(null, "ota", "verify", Package, "--public-key", PublicKey, "--json");

        Assert.That(exit, Is.EqualTo(OtaCommands.RefusedExitCode));
        Assert.That(output, Does.Contain("\"failure\":\"UntrustedKey\""));
    }

    [Test]
    public async Task Sign_refuses_a_version_that_is_not_semantic_and_writes_nothing()
    {
        var payload = await WritePayloadAsync(1000);
        await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);

        var (exit, output) = await RunAsync(null, "ota", "sign", payload, "--key", Key, "--product", "pole-controller", "--kind", "firmware", "--model", "slc-200", "--version", "2.4");

        Assert.That(exit, Is.EqualTo(CivicCommandLine.UsageExitCode));
        Assert.That(output, Does.Contain("'version'").And.Contain("three numbers"));
        Assert.That(Directory.GetFiles(_dir, "*.cota*"), Is.Empty);
    }

    [Test]
    public async Task Upload_sends_the_whole_package_as_it_is_and_prints_what_the_fleet_stored()
    {
        var payload = await WritePayloadAsync(5000);
        await RunAsync(null, "ota", "keygen", "release", "--dir", _dir);
        await RunAsync(null, "ota", "sign", payload, "--key", Key, "--product", "pole-controller", "--kind", "firmware", "--model", "slc-200", "--version", "2.4.0");
        var header = OtaPackageFormat.ReadHeader(File.ReadAllBytes(Package)).Header!;
        var stored = new OtaArtifact("pole-controller@2.4.0", header.Manifest, header.Signature, "key:abc (release)", Now,
            "api/ota/artifacts/pole-controller@2.4.0/payload", "api/ota/artifacts/pole-controller@2.4.0/package");
        var fleet = new StubFleet().Answer("/api/ota/artifacts", System.Text.Json.JsonSerializer.Serialize(stored, OtaJson.Default.OtaArtifact), HttpStatusCode.Created);

        var (exit, output) = await RunAsync(fleet, "ota", "upload", Package);

        Assert.That(exit, Is.Zero, output);
        Assert.That(fleet.Sent.Single().Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(fleet.SentBytes.Single(), Is.EqualTo(File.ReadAllBytes(Package)));
        Assert.That(output, Does.Contain("stored").And.Contain("pole-controller@2.4.0").And.Contain("api/ota/artifacts/pole-controller@2.4.0/payload"));
    }

    [Test]
    public async Task Upload_of_a_file_that_is_no_package_sends_nothing()
    {
        var notPackage = await WritePayloadAsync(100);
        var fleet = new StubFleet();

        var (exit, output) = await RunAsync(fleet, "ota", "upload", notPackage);

        Assert.That(exit, Is.EqualTo(CivicCommandLine.UsageExitCode));
        Assert.That(output, Does.Contain("is not a package").And.Contain("civicedge-ota/1"));
        Assert.That(fleet.Requests, Is.Empty);
    }

    private string Key => Path.Combine(_dir, "release.key.pem");

    private string PublicKey => Path.Combine(_dir, "release.pub.pem");

    private string Package => Path.Combine(_dir, "pole-controller-2.4.0.cota");

    private async Task<string> WritePayloadAsync(int length)
    {
        var path = Path.Combine(_dir, "image.bin");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(length));
        return path;
    }

    private static async Task<(int Exit, string Output)> RunAsync(StubFleet? fleet, params string[] args)
    {
        var console = new TestConsole().Width(250);
        var root = CivicCommandLine.Build(
            console,
            baseAddress => fleet is null ? throw new InvalidOperationException("This command must not call the fleet.") : new HttpClient(fleet) { BaseAddress = baseAddress },
            new FakeTimeProvider(Now));
        var errors = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = errors });
        return (exit, console.Output + errors);
    }
}
