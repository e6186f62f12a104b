using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Server.Tests.Ota;

/// <summary>The artifact API on a real fleet: uploads checked before storing, ranges, roles and the audit log.</summary>
[TestFixture]
[Category("Integration")]
public sealed class OtaArtifactApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(700_000);

    private OtaFleet _fleet = null!;
    private CancellationTokenSource _cancel = null!;

    private CancellationToken Cancel => _cancel.Token;
    private OtaSigningKey Trusted => _fleet.Key;
    private HttpClient Http => _fleet.Http;

    [SetUp]
    public async Task SetUp()
    {
        _cancel = new CancellationTokenSource(Timeout);
        _fleet = await OtaFleet.StartAsync(new Dictionary<string, string>(), Cancel);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _fleet.DisposeAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task A_package_signed_by_a_trusted_key_is_stored_listed_and_served_byte_for_byte()
    {
        var package = OtaFleet.Package(Trusted, Manifest(Payload), Payload);

        using var upload = await UploadAsync(package);
        var artifact = await upload.Content.ReadFromJsonAsync(OtaJson.Default.OtaArtifact, Cancel);
        var listed = await Http.GetFromJsonAsync("api/ota/artifacts", OtaJson.Default.IReadOnlyListOtaArtifact, Cancel);
        var payload = await Http.GetByteArrayAsync(artifact!.PayloadPath, Cancel);
        var whole = await Http.GetByteArrayAsync(artifact.PackagePath, Cancel);

        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync(Cancel));
        Assert.That(upload.Headers.Location!.OriginalString, Is.EqualTo("/api/ota/artifacts/pole-controller@2.4.0"));
        Assert.That((artifact.Id, artifact.Signature.KeyId), Is.EqualTo(("pole-controller@2.4.0", Trusted.PublicKey.KeyId)));
        Assert.That(artifact.UploadedBy, Does.Contain("bootstrap"));
        Assert.That(listed!.Select(a => a.Id), Is.EqualTo(new[] { "pole-controller@2.4.0" }));
        Assert.That(payload, Is.EqualTo(Payload));
        Assert.That(whole, Is.EqualTo(package));
    }

    [Test]
    public async Task A_range_request_gets_206_with_just_those_bytes_and_if_range_on_a_changed_etag_gets_the_whole_payload()
    {
        await UploadAsync(OtaFleet.Package(Trusted, Manifest(Payload), Payload));

        using var ranged = new HttpRequestMessage(HttpMethod.Get, "api/ota/artifacts/pole-controller@2.4.0/payload");
        ranged.Headers.Range = new RangeHeaderValue(300_000, 300_099);
        using var partial = await Http.SendAsync(ranged, Cancel);
        var etag = partial.Headers.ETag!;

        using var stale = new HttpRequestMessage(HttpMethod.Get, "api/ota/artifacts/pole-controller@2.4.0/payload");
        stale.Headers.Range = new RangeHeaderValue(300_000, null);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"" + new string('0', 64) + "\""));
        using var full = await Http.SendAsync(stale, Cancel);

        using var resumed = new HttpRequestMessage(HttpMethod.Get, "api/ota/artifacts/pole-controller@2.4.0/payload");
        resumed.Headers.Range = new RangeHeaderValue(300_000, null);
        resumed.Headers.IfRange = new RangeConditionHeaderValue(etag);
        using var rest = await Http.SendAsync(resumed, Cancel);

        Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(await partial.Content.ReadAsByteArrayAsync(Cancel), Is.EqualTo(Payload[300_000..300_100]));
        Assert.That(partial.Content.Headers.ContentRange!.ToString(), Is.EqualTo($"bytes 300000-300099/{Payload.Length}"));
        Assert.That(etag.Tag, Is.EqualTo($"\"{Convert.ToHexStringLower(SHA256.HashData(Payload))}\""));
        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await full.Content.ReadAsByteArrayAsync(Cancel)).Length, Is.EqualTo(Payload.Length));
        Assert.That(rest.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(await rest.Content.ReadAsByteArrayAsync(Cancel), Is.EqualTo(Payload[300_000..]));
    }

    [Test]
    public async Task A_package_whose_payload_was_changed_is_refused_with_the_reason_nothing_is_stored_and_the_refusal_is_audited()
    {
        var package = OtaFleet.Package(Trusted, Manifest(Payload), Payload);
        package[^10] ^= 0x5A;

        using var upload = await UploadAsync(package);
        using var problem = JsonDocument.Parse(await upload.Content.ReadAsStringAsync(Cancel));
        var listed = await Http.GetFromJsonAsync("api/ota/artifacts", OtaJson.Default.IReadOnlyListOtaArtifact, Cancel);
        var audit = await Http.GetFromJsonAsync("api/audit?action=artifact.", AccessJson.Default.IReadOnlyListAuditEntry, Cancel);

        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(upload.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem.RootElement.GetProperty("failure").GetString(), Is.EqualTo("HashMismatch"));
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("expected a payload with SHA-256"));
        Assert.That(listed, Is.Empty);
        Assert.That(Directory.GetFiles(_fleet.SpoolDirectory, "*.spool"), Is.Empty, "the spooled payload is gone");
        Assert.That(audit!.Single().Outcome, Is.EqualTo(AuditOutcome.Failed));
        Assert.That(audit!.Single().Detail, Does.Contain("refused"));
    }

    [Test]
    public async Task A_package_signed_by_an_untrusted_key_is_refused_before_its_payload_is_read()
    {
        using var stranger = OtaSigningKey.Generate();

        using var upload = await UploadAsync(OtaFleet.Package(stranger, Manifest(Payload), Payload));
        using var problem = JsonDocument.Parse(await upload.Content.ReadAsStringAsync(Cancel));

        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem.RootElement.GetProperty("failure").GetString(), Is.EqualTo("UntrustedKey"));
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain(stranger.PublicKey.KeyId));
    }

    [Test]
    public async Task Uploading_the_same_package_again_is_harmless_and_another_payload_under_the_same_version_conflicts()
    {
        var package = OtaFleet.Package(Trusted, Manifest(Payload), Payload);
        var other = RandomNumberGenerator.GetBytes(1000);
        await UploadAsync(package);

        using var again = await UploadAsync(package);
        using var conflict = await UploadAsync(OtaFleet.Package(Trusted, Manifest(other), other));

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(conflict.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Http.GetByteArrayAsync("api/ota/artifacts/pole-controller@2.4.0/payload", Cancel), Is.EqualTo(Payload));
    }

    [Test]
    public async Task A_deleted_artifact_is_gone_and_a_regulator_may_neither_read_nor_upload_artifacts()
    {
        await UploadAsync(OtaFleet.Package(Trusted, Manifest(Payload), Payload));
        using var keyResponse = await Http.PostAsJsonAsync("api/keys", new NewApiKey("watchdog", FleetRole.Regulator, [], true, null), AccessJson.Default.NewApiKey, Cancel);
        var regulatorKey = (await keyResponse.Content.ReadFromJsonAsync(AccessJson.Default.IssuedApiKey, Cancel))!.Key;
        using var regulator = _fleet.Host.CreateClient(regulatorKey);

        using var regulatorRead = await regulator.GetAsync("api/ota/artifacts", Cancel);
        using var regulatorUpload = await regulator.PostAsync("api/ota/artifacts", new ByteArrayContent([1, 2, 3]), Cancel);
        using var deleted = await Http.DeleteAsync("api/ota/artifacts/pole-controller@2.4.0", Cancel);
        using var gone = await Http.GetAsync("api/ota/artifacts/pole-controller@2.4.0/payload", Cancel);

        Assert.That((regulatorRead.StatusCode, regulatorUpload.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)));
        Assert.That((deleted.StatusCode, gone.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound)));
    }

    private Task<HttpResponseMessage> UploadAsync(byte[] package) => _fleet.PostPackageAsync(package, Cancel);

    private static OtaManifest Manifest(byte[] payload) =>
        OtaFleet.Manifest("pole-controller", "2.4.0", "slc-200", payload, OtaFleet.Released, minimumVersion: "2.0.0");
}
