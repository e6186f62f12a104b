using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary>
/// Who may do what: no credentials, bad, expired and revoked keys are refused with 401; a role without an endpoint's
/// permission gets 403 (a regulator reads and changes nothing); every refusal is in the audit log; keys are shown once
/// and kept as hashes.
/// </summary>
[Category("Integration")]
public sealed class RolesAndKeysTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private TenantFleet _fleet = null!;

    [OneTimeSetUp]
    public async Task StartTheFleet()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = await TenantFleet.StartAsync(cancel.Token);
    }

    [OneTimeTearDown]
    public async Task StopTheFleet() => await _fleet.DisposeAsync();

    [Test]
    public async Task A_request_without_credentials_is_refused_with_401_a_problem_document_and_a_challenge_and_is_audited()
    {
        using var anonymous = _fleet.Host.CreateClient(null);

        using var response = await anonymous.GetAsync("api/devices?probe=anonymous");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Does.Contain("Bearer"));
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.That(problem!.Status, Is.EqualTo(401));
        Assert.That(problem.Detail, Does.Contain("no credentials").And.Contain("X-Api-Key"));
        var denial = (await _fleet.AuditAsync("action=access.denied&actor=anonymous")).Last(e => e.Detail!.Contains("probe=anonymous", StringComparison.Ordinal));
        Assert.That((denial.Target, denial.Outcome, denial.Role), Is.EqualTo(("/api/devices", AuditOutcome.Denied, (FleetRole?)null)));
    }

    [TestCase("ce_short", "malformed API key")]
    [TestCase("ce_nosuchkey0_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not known to this fleet")]
    [TestCase("ce_testadmin0_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "not known to this fleet")]
    public async Task A_malformed_unknown_or_wrong_key_is_refused_with_401_saying_why(string key, string reason)
    {
        using var client = _fleet.Host.CreateClient(key);

        using var response = await client.GetAsync("api/devices");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await response.Content.ReadFromJsonAsync<ProblemBody>())!.Detail, Does.Contain(reason));
    }

    [Test]
    public async Task A_key_is_also_accepted_in_the_x_api_key_header()
    {
        using var client = _fleet.Host.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", FleetHost.AdminKey);

        using var response = await client.GetAsync("api/devices");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_expired_key_is_refused_and_the_refusal_names_the_key()
    {
        var token = ApiKeyToken.New();
        var keys = _fleet.Host.Services.GetRequiredService<IApiKeyStore>();
        await keys.AddKeyAsync(
            new ApiKey(token.Id, token.HashSecret(), "summer intern", FleetRole.Operator, ["water"], false,
                DateTimeOffset.UtcNow.AddDays(-30), "test", DateTimeOffset.UtcNow.AddMinutes(-1), null, null),
            CancellationToken.None);
        using var client = _fleet.Host.CreateClient(token.ToString());

        using var response = await client.GetAsync("api/devices");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await response.Content.ReadFromJsonAsync<ProblemBody>())!.Detail, Does.Contain("expired"));
        var denial = (await _fleet.AuditAsync($"action=access.denied&actor={token.Id}")).Single();
        Assert.That((denial.Actor, denial.Role), Is.EqualTo(($"key:{token.Id} (summer intern)", (FleetRole?)FleetRole.Operator)));
    }

    [Test]
    public async Task A_revoked_key_is_refused_from_the_moment_it_is_revoked_and_both_are_audited()
    {
        var key = await _fleet.KeyAsync("lost laptop", FleetRole.Operator, "water");
        var id = key.Split('_')[1];
        using var client = _fleet.Host.CreateClient(key);
        using var admin = _fleet.Host.CreateClient();
        using var before = await client.GetAsync("api/devices");

        using var revoke = await admin.DeleteAsync($"api/keys/{id}");
        using var after = await client.GetAsync("api/devices");

        Assert.That((before.StatusCode, revoke.StatusCode, after.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized)));
        Assert.That((await after.Content.ReadFromJsonAsync<ProblemBody>())!.Detail, Does.Contain("revoked"));
        var info = await revoke.Content.ReadFromJsonAsync(AccessJson.Default.ApiKeyInfo);
        Assert.That(info!.RevokedAt, Is.Not.Null);
        var trail = await _fleet.AuditAsync($"actor={id}");
        Assert.That(trail.Select(e => e.Action), Does.Contain("access.denied"));
        Assert.That((await _fleet.AuditAsync($"target={id}")).Select(e => (e.Action, e.Outcome)),
            Is.EqualTo(new[] { ("key.create", AuditOutcome.Succeeded), ("key.revoke", AuditOutcome.Succeeded) }));
    }

    [Test]
    public async Task A_regulator_reads_its_tenants_data_but_cannot_change_a_twin_send_anything_or_read_keys_and_audit()
    {
        var key = await _fleet.KeyAsync("water supervision platform", FleetRole.Regulator, "water");
        using var regulator = _fleet.Host.CreateClient(key);

        using var telemetry = await regulator.GetAsync($"api/devices/mtr-water/telemetry?{TenantFleet.Window}");
        using var put = await regulator.PutAsync("api/devices/gw-water/twin/desired", EmptyConfiguration());
        using var delete = await regulator.DeleteAsync("api/devices/gw-water/twin/desired");
        using var keys = await regulator.GetAsync("api/keys");
        using var audit = await regulator.GetAsync("api/audit");

        Assert.That(telemetry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(new[] { put.StatusCode, delete.StatusCode, keys.StatusCode, audit.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        var problem = await put.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.That(put.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem!.Detail, Does.Contain("role regulator lacks permission changeTwin"));
        var twin = await _fleet.Host.CreateClient().GetFromJsonAsync("api/devices/gw-water/twin", ContractsJson.Default.DeviceTwin);
        Assert.That(twin!.Desired!.Version, Is.EqualTo(1), "nothing changed");
        var denials = await _fleet.AuditAsync($"action=access.denied&actor=water supervision platform");
        Assert.That(denials.Select(d => d.Detail![..d.Detail!.IndexOf(':', StringComparison.Ordinal)]), Is.EqualTo(new[]
        {
            "403 PUT /api/devices/gw-water/twin/desired",
            "403 DELETE /api/devices/gw-water/twin/desired",
            "403 GET /api/keys",
            "403 GET /api/audit",
        }));
        Assert.That(denials.Select(d => d.Role), Is.All.EqualTo(FleetRole.Regulator));
    }

    [Test]
    public async Task An_installer_cannot_change_a_twin_of_its_own_tenant()
    {
        using var installer = _fleet.Host.CreateClient(await _fleet.KeyAsync("pole crew 3", FleetRole.Installer, "water"));

        using var put = await installer.PutAsync("api/devices/gw-water/twin/desired", EmptyConfiguration());
        using var read = await installer.GetAsync($"api/devices/mtr-water/telemetry?{TenantFleet.Window}");

        Assert.That((put.StatusCode, read.StatusCode), Is.EqualTo((HttpStatusCode.Forbidden, HttpStatusCode.OK)));
    }

    [Test]
    public async Task Me_tells_the_caller_its_role_tenants_and_permissions()
    {
        using var regulator = _fleet.Host.CreateClient(await _fleet.KeyAsync("gas supervision", FleetRole.Regulator, "gas", "heat"));

        var me = await regulator.GetFromJsonAsync("api/me", AccessJson.Default.CallerInfo);

        Assert.That((me!.Role, me.AllTenants, me.Method), Is.EqualTo((FleetRole.Regulator, false, "api-key")));
        Assert.That(me.Tenants, Is.EqualTo(new[] { "gas", "heat" }));
        Assert.That(me.Permissions, Is.EqualTo(new[] { FleetPermission.ReadLedger, FleetPermission.ReadTelemetry, FleetPermission.ReadAggregates }));
    }

    [Test]
    public async Task A_new_key_is_shown_once_and_kept_only_as_the_hash_of_its_secret()
    {
        using var admin = _fleet.Host.CreateClient();
        using var created = await admin.PostAsJsonAsync("api/keys",
            new NewApiKey("night shift", FleetRole.Operator, ["water"], false, DateTimeOffset.UtcNow.AddDays(90)), AccessJson.Default.NewApiKey);
        var issued = await created.Content.ReadFromJsonAsync(AccessJson.Default.IssuedApiKey);
        var secret = issued!.Key[$"ce_{issued.Info.Id}_".Length..]; // base64url: the secret may hold '_' itself

        var listing = await admin.GetStringAsync("api/keys");
        var stored = await _fleet.Host.Services.GetRequiredService<IApiKeyStore>().FindKeyAsync(issued.Info.Id, CancellationToken.None);

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(issued.Key, Does.StartWith($"ce_{issued.Info.Id}_"));
        Assert.That(listing, Does.Contain(issued.Info.Id).And.Not.Contain(secret));
        Assert.That(stored!.SecretHash, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))));
        Assert.That((stored.Name, stored.Role, stored.CreatedBy), Is.EqualTo(("night shift", FleetRole.Operator, "key:testadmin0 (bootstrap)")));
    }

    [Test]
    public async Task A_key_request_of_the_wrong_shape_is_refused_naming_each_field()
    {
        using var admin = _fleet.Host.CreateClient();

        using var response = await admin.PostAsJsonAsync("api/keys",
            new NewApiKey("", FleetRole.Operator, [], false, DateTimeOffset.UtcNow.AddDays(-1)), AccessJson.Default.NewApiKey);
        using var notJson = await admin.PostAsync("api/keys", new StringContent("""{"name":"x","role":"king"}""", Encoding.UTF8, "application/json"));

        Assert.That((response.StatusCode, notJson.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.That(problem!.Errors!.Keys, Is.EquivalentTo(new[] { "name", "tenants", "expiresAt" }));
    }

    [Test]
    public async Task Only_an_admin_makes_keys_and_a_tenants_admin_only_within_its_tenants()
    {
        using var waterOperator = _fleet.Host.CreateClient(await _fleet.KeyAsync("water ops", FleetRole.Operator, "water"));
        using var waterAdmin = _fleet.Host.CreateClient(await _fleet.KeyAsync("water it", FleetRole.Admin, "water"));

        using var byOperator = await waterOperator.PostAsJsonAsync("api/keys", new NewApiKey("x", FleetRole.Operator, ["water"], false, null), AccessJson.Default.NewApiKey);
        using var forOwn = await waterAdmin.PostAsJsonAsync("api/keys", new NewApiKey("water reader", FleetRole.Regulator, ["water"], false, null), AccessJson.Default.NewApiKey);
        using var forGas = await waterAdmin.PostAsJsonAsync("api/keys", new NewApiKey("gas reader", FleetRole.Regulator, ["gas"], false, null), AccessJson.Default.NewApiKey);
        using var cityWide = await waterAdmin.PostAsJsonAsync("api/keys", new NewApiKey("everything", FleetRole.Admin, null, true, null), AccessJson.Default.NewApiKey);
        var listed = await waterAdmin.GetFromJsonAsync("api/keys", AccessJson.Default.IReadOnlyListApiKeyInfo);

        Assert.That(
            new[] { byOperator.StatusCode, forOwn.StatusCode, forGas.StatusCode, cityWide.StatusCode },
            Is.EqualTo(new[] { HttpStatusCode.Forbidden, HttpStatusCode.Created, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden }));
        Assert.That(listed!.Select(k => k.Tenants), Is.All.EqualTo(new[] { "water" }), "a tenant's admin sees its tenant's keys only");
        Assert.That(listed!.Select(k => k.Name), Does.Contain("water reader").And.Not.Contain("bootstrap"));
    }

    [Test]
    public async Task The_health_check_answers_without_credentials()
    {
        using var anonymous = _fleet.Host.CreateClient(null);

        using var response = await anonymous.GetAsync("healthz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static StringContent EmptyConfiguration() => new("""{"devices":[]}""", Encoding.UTF8, "application/json");

    /// <summary>An RFC 9457 problem document, as far as the tests read it.</summary>
    private sealed record ProblemBody(int Status, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
