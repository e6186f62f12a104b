using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Provisioning;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.Ota;

/// <summary>
/// Devices downloading artifacts on a real fleet with their own ledger credential (Basic, RFC 7617): what a campaign
/// offers them, in ranges, and nothing else; people's keys keep working.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DeviceDownloadTests
{
    private const string Offered = "pole-controller@2.4.0";
    private const string NotOffered = "pole-controller@2.5.0";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(200_000);

    private OtaFleet _fleet = null!;
    private string _gw1Secret = string.Empty;
    private string _gw2Secret = string.Empty;
    private CancellationTokenSource _cancel = null!;

    private CancellationToken Cancel => _cancel.Token;
    private HttpClient Http => _fleet.Http;

    [SetUp]
    public async Task SetUp()
    {
        _cancel = new CancellationTokenSource(Timeout);
        _fleet = await OtaFleet.StartAsync(new Dictionary<string, string> { ["Fleet:Security:MaxFailedPasswords"] = "3" }, Cancel);
        await _fleet.UploadAsync(OtaFleet.Manifest("pole-controller", "2.4.0", "slc-200", Payload, OtaFleet.Released), Payload, Cancel);
        await _fleet.UploadAsync(OtaFleet.Manifest("pole-controller", "2.5.0", "slc-200", Payload, OtaFleet.Released), Payload, Cancel);

        _gw1Secret = await _fleet.Host.ProvisionAsync("gw-1", Cancel);
        _gw2Secret = await _fleet.Host.ProvisionAsync("gw-2", Cancel);
        using var registered = await Http.PostAsJsonAsync("/api/devices",
            new DeviceRegistration { Code = "slc-1", Kind = DeviceKind.PoleController, Model = "SLC-200", Firmware = "2.3.1", Tenant = "test-bureau", Gateway = "gw-1", By = "test" },
            LedgerJson.Default.DeviceRegistration, Cancel);
        registered.EnsureSuccessStatusCode();
        using var created = await Http.PostAsJsonAsync("api/ota/campaigns", new OtaCampaignRequest("c-1", Offered), OtaJson.Default.OtaCampaignRequest, Cancel);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync(Cancel));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _fleet.DisposeAsync();
        _cancel.Dispose();
    }

    [Test]
    public async Task A_gateway_downloads_what_a_campaign_offers_a_device_behind_it_in_ranges_paying_for_one_password_hash()
    {
        using var gateway = DeviceClient("gw-1", _gw1Secret);

        var manifest = await gateway.GetFromJsonAsync($"api/ota/artifacts/{Offered}", OtaJson.Default.OtaArtifact, Cancel);
        var pieces = new List<byte>();
        for (var from = 0; from < Payload.Length; from += 64_000)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/ota/artifacts/{Offered}/payload");
            request.Headers.Range = new RangeHeaderValue(from, Math.Min(from + 64_000, Payload.Length) - 1);
            using var piece = await gateway.SendAsync(request, Cancel);
            Assert.That(piece.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent), await piece.Content.ReadAsStringAsync(Cancel));
            pieces.AddRange(await piece.Content.ReadAsByteArrayAsync(Cancel));
        }
        using var package = await gateway.GetAsync($"api/ota/artifacts/{Offered}/package", Cancel);

        Assert.That(manifest!.Manifest.Version, Is.EqualTo("2.4.0"));
        Assert.That(pieces, Is.EqualTo(Payload));
        Assert.That(package.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var verifier = _fleet.Host.Services.GetRequiredService<DevicePasswordVerifier>();
        Assert.That((verifier.SlowChecks, verifier.CacheHits), Is.EqualTo((1L, 5L)), "one PBKDF2 for six requests");
    }

    [Test]
    public async Task An_artifact_no_campaign_offers_is_refused_with_403_saying_why_and_the_refusal_is_audited()
    {
        using var gateway = DeviceClient("gw-1", _gw1Secret);

        using var refused = await gateway.GetAsync($"api/ota/artifacts/{NotOffered}/payload", Cancel);
        var denial = await DenialsAsync("device:gw-1");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(Cancel), Does.Contain($"device:gw-1: no running, paused or halted campaign offers artifact '{NotOffered}'"));
        Assert.That(denial.Single().Detail, Does.StartWith($"403 GET /api/ota/artifacts/{NotOffered}/payload: no running, paused or halted campaign"));
    }

    [Test]
    public async Task Another_gateway_may_not_download_an_artifact_offered_to_devices_behind_a_different_one()
    {
        using var other = DeviceClient("gw-2", _gw2Secret);

        using var refused = await other.GetAsync($"api/ota/artifacts/{Offered}/payload", Cancel);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(Cancel), Does.Contain($"artifact '{Offered}' is offered by campaign c-1, neither to gw-2 nor to a device behind it"));
    }

    [Test]
    public async Task A_wrong_password_gets_401_with_a_basic_challenge_and_the_refusal_is_audited_naming_the_device()
    {
        using var guesser = DeviceClient("gw-1", "not-the-secret");

        using var refused = await guesser.GetAsync($"api/ota/artifacts/{Offered}/payload", Cancel);
        var denial = await DenialsAsync("device:gw-1");

        var broker = await Http.GetFromJsonAsync("api/broker", LedgerJson.Default.BrokerStatus, Cancel);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(broker!.HttpPasswordsRefused!["badPassword"], Is.EqualTo(1), "counted by reason, like the broker's refusals");
        Assert.That(refused.Headers.WwwAuthenticate.ToString(), Does.StartWith("Basic realm=\"civicedge-fleet\""));
        Assert.That(await refused.Content.ReadAsStringAsync(Cancel), Does.Contain("device credentials refused (badPassword): gw-1's password matches none of its 1 active password credentials"));
        Assert.That(denial.Single().Detail, Does.StartWith("401 GET"));
    }

    [Test]
    public async Task After_too_many_wrong_passwords_the_right_one_is_refused_too_until_the_window_ends()
    {
        for (var i = 0; i < 3; i++)
        {
            using var guesser = DeviceClient("gw-1", "guess-" + i);
            using var wrong = await guesser.GetAsync($"api/ota/artifacts/{Offered}", Cancel);
        }
        using var gateway = DeviceClient("gw-1", _gw1Secret);

        using var refused = await gateway.GetAsync($"api/ota/artifacts/{Offered}", Cancel);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await refused.Content.ReadAsStringAsync(Cancel), Does.Contain("(tooManyFailures)"));
    }

    [Test]
    public async Task A_credential_revoked_during_a_download_is_refused_at_the_next_request()
    {
        using var gateway = DeviceClient("gw-1", _gw1Secret);
        using var before = await gateway.GetAsync($"api/ota/artifacts/{Offered}", Cancel);

        using var revoked = await Http.PostAsJsonAsync("/api/devices/gw-1/credentials/revoke", new RevocationRequest { By = "test", Reason = "stolen box" }, LedgerJson.Default.RevocationRequest, Cancel);
        using var after = await gateway.GetAsync($"api/ota/artifacts/{Offered}/payload", Cancel);

        Assert.That((before.StatusCode, revoked.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await after.Content.ReadAsStringAsync(Cancel), Does.Contain("gw-1 has no active password credential"));
    }

    [TestCase("GET", "api/ota/artifacts")]
    [TestCase("GET", "api/me")]
    [TestCase("GET", "api/devices")]
    [TestCase("GET", "api/ota/campaigns")]
    [TestCase("DELETE", "api/ota/artifacts/" + Offered)]
    public async Task A_device_may_call_no_endpoint_but_the_downloads(string method, string path)
    {
        using var gateway = DeviceClient("gw-1", _gw1Secret);

        using var refused = await gateway.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancel);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await refused.Content.ReadAsStringAsync(Cancel), Does.Contain("device gw-1 authenticates only to download the artifacts offered to it"));
    }

    [Test]
    public async Task A_persons_api_key_still_downloads_any_artifact()
    {
        var payload = await Http.GetByteArrayAsync($"api/ota/artifacts/{NotOffered}/payload", Cancel);

        Assert.That(payload, Is.EqualTo(Payload));
    }

    private HttpClient DeviceClient(string code, string password)
    {
        var client = _fleet.Host.CreateClient(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{code}:{password}")));
        return client;
    }

    private async Task<IReadOnlyList<AuditEntry>> DenialsAsync(string actor) =>
        (await Http.GetFromJsonAsync($"api/audit?action=access.denied&actor={Uri.EscapeDataString(actor)}", AccessJson.Default.IReadOnlyListAuditEntry, Cancel))!;
}
