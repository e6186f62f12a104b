using System.Net;
using System.Net.Http.Json;
using System.Text;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary>
/// The device ledger under people's access control: each role does what its permissions allow and no more, a tenant
/// registers, changes, claims and credentials only its own devices, who did a step is the authenticated caller whatever
/// the body says, and every change or refusal is in the audit log.
/// </summary>
[Category("Integration")]
public sealed class LedgerAccessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private TenantFleet _fleet = null!;
    private HttpClient _admin = null!;
    private HttpClient _waterOperator = null!;
    private HttpClient _waterInstaller = null!;
    private HttpClient _waterRegulator = null!;
    private int _devices;

    [OneTimeSetUp]
    public async Task StartTheFleet()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = await TenantFleet.StartAsync(cancel.Token);
        _admin = _fleet.Host.CreateClient();
        _waterOperator = _fleet.Host.CreateClient(await _fleet.KeyAsync("water dispatch", FleetRole.Operator, "water"));
        _waterInstaller = _fleet.Host.CreateClient(await _fleet.KeyAsync("pole crew 3", FleetRole.Installer, "water"));
        _waterRegulator = _fleet.Host.CreateClient(await _fleet.KeyAsync("water supervision", FleetRole.Regulator, "water"));
    }

    [OneTimeTearDown]
    public async Task StopTheFleet()
    {
        _admin.Dispose();
        _waterOperator.Dispose();
        _waterInstaller.Dispose();
        _waterRegulator.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public async Task A_regulator_reads_the_ledger_of_its_tenant_but_cannot_register_change_move_claim_or_credential_a_device()
    {
        var device = await RegisterAsync("water");

        using var list = await _waterRegulator.GetAsync("api/devices");
        using var show = await _waterRegulator.GetAsync($"api/devices/{device}");
        HttpStatusCode[] refused =
        [
            await StatusAsync(_waterRegulator.PostAsync("api/devices", Json($$"""{"code":"reg-new","kind":"sensor","tenant":"water"}"""))),
            await StatusAsync(_waterRegulator.PatchAsync($"api/devices/{device}", Json("""{"firmware":"9.9.9"}"""))),
            await StatusAsync(_waterRegulator.PostAsync($"api/devices/{device}/lifecycle", Json("""{"state":"installed","reason":"said so"}"""))),
            await StatusAsync(_waterRegulator.PostAsync($"api/devices/{device}/decommission", Json("""{"reason":"said so"}"""))),
            await StatusAsync(_waterRegulator.PostAsync("api/claim-tokens", Json($$"""{"device":"{{device}}"}"""))),
            await StatusAsync(_waterRegulator.PostAsync($"api/devices/{device}/claim", Json("""{"token":"whatever"}"""))),
            await StatusAsync(_waterRegulator.GetAsync($"api/devices/{device}/credentials")),
            await StatusAsync(_waterRegulator.PostAsync($"api/devices/{device}/credentials", Json("{}"))),
            await StatusAsync(_waterRegulator.PutAsync("api/devices/gw-water/twin/desired", Json("""{"devices":[]}"""))),
            await StatusAsync(_waterRegulator.GetAsync("api/broker")),
        ];

        Assert.That((list.StatusCode, show.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(refused, Is.All.EqualTo(HttpStatusCode.Forbidden));
        var held = await DetailsAsync(device);
        Assert.That((held.Ledger!.State, held.Ledger.Firmware, held.Ledger.Revision, held.Credentials.Count), Is.EqualTo((LifecycleState.Registered, (string?)null, 1L, 0)), "nothing changed");
        using var unregistered = await _admin.GetAsync("api/devices/reg-new");
        Assert.That(unregistered.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var denials = await _fleet.AuditAsync("action=access.denied&actor=water supervision");
        Assert.That(denials, Has.Count.EqualTo(refused.Length));
    }

    [Test]
    public async Task A_caller_registers_devices_into_its_own_tenants_only_and_a_refusal_is_audited()
    {
        using var ours = await _waterOperator.PostAsync("api/devices", Json("""{"code":"own-1","kind":"waterMeter","tenant":"water"}"""));
        using var theirs = await _waterOperator.PostAsync("api/devices", Json("""{"code":"own-2","kind":"gasMeter","tenant":"gas"}"""));
        var problem = await theirs.Content.ReadFromJsonAsync<ProblemBody>();

        Assert.That((ours.StatusCode, theirs.StatusCode), Is.EqualTo((HttpStatusCode.Created, HttpStatusCode.Forbidden)));
        Assert.That(problem!.Detail, Is.EqualTo("tenant: expected one of the caller's tenants (water), found 'gas'"));
        using var absent = await _admin.GetAsync("api/devices/own-2");
        Assert.That(absent.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "nothing registered");
        var entries = await _fleet.AuditAsync("action=device.register&actor=water dispatch");
        Assert.That(entries.Select(entry => (entry.Target, entry.Tenant, entry.Outcome)), Is.EqualTo(new[]
        {
            ("own-1", "water", AuditOutcome.Succeeded),
            ("own-2", "gas", AuditOutcome.Denied),
        }));
    }

    [Test]
    public async Task A_device_cannot_be_handed_to_a_tenant_outside_the_callers_scope()
    {
        var device = await RegisterAsync("water");

        using var handed = await _waterOperator.PatchAsync($"api/devices/{device}", Json("""{"tenant":"gas"}"""));

        Assert.That(handed.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await DetailsAsync(device)).Ledger!.Tenant, Is.EqualTo("water"));
    }

    [Test]
    public async Task Every_ledger_change_to_another_tenants_device_answers_as_for_an_unknown_device_and_changes_nothing()
    {
        var gas = await RegisterAsync("gas");
        (HttpClient Caller, string Method, string Path, string Body)[] changes =
        [
            (_waterOperator, "PATCH", "api/devices/{0}", """{"firmware":"9.9.9"}"""),
            (_waterOperator, "POST", "api/devices/{0}/lifecycle", """{"state":"installed","reason":"mounted"}"""),
            (_waterOperator, "POST", "api/devices/{0}/decommission", """{"reason":"street rebuilt"}"""),
            (_waterInstaller, "POST", "api/devices/{0}/claim", """{"token":"ABCD-EFGH-JKLM"}"""),
            (_waterInstaller, "GET", "api/devices/{0}/credentials", string.Empty),
            (_waterInstaller, "POST", "api/devices/{0}/credentials", "{}"),
            (_waterInstaller, "POST", "api/devices/{0}/credentials/rotate", "{}"),
            (_waterInstaller, "POST", "api/devices/{0}/credentials/revoke", "{}"),
        ];

        foreach (var (caller, method, template, body) in changes)
        {
            using var hidden = await SendAsync(caller, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, gas), body);
            using var unknown = await SendAsync(caller, method, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "no-such-device"), body);

            Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), $"{method} {template}");
            Assert.That(
                Redacted(await hidden.Content.ReadAsStringAsync(), gas),
                Is.EqualTo(Redacted(await unknown.Content.ReadAsStringAsync(), "no-such-device")),
                $"{method} {template}");
        }

        var held = await DetailsAsync(gas);
        Assert.That((held.Ledger!.State, held.Ledger.Revision, held.Credentials.Count), Is.EqualTo((LifecycleState.Registered, 1L, 0)));
    }

    [Test]
    public async Task A_claim_token_is_issued_only_for_devices_of_the_callers_tenants()
    {
        var gas = await RegisterAsync("gas");
        var batch = $"batch-{Guid.NewGuid():N}";
        await RegisterAsync("water", batch);
        await RegisterAsync("gas", batch);
        var waterOnly = $"batch-{Guid.NewGuid():N}";
        await RegisterAsync("water", waterOnly);

        using var device = await _waterOperator.PostAsync("api/claim-tokens", Json($$"""{"device":"{{gas}}"}"""));
        using var mixed = await _waterOperator.PostAsync("api/claim-tokens", Json($$"""{"batch":"{{batch}}"}"""));
        using var own = await _waterOperator.PostAsync("api/claim-tokens", Json($$"""{"batch":"{{waterOnly}}"}"""));
        using var installer = await _waterInstaller.PostAsync("api/claim-tokens", Json($$"""{"batch":"{{waterOnly}}"}"""));

        Assert.That(
            new[] { device.StatusCode, mixed.StatusCode, own.StatusCode, installer.StatusCode },
            Is.EqualTo(new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Created, HttpStatusCode.Forbidden }),
            "another tenant's device is unknown; a batch spanning tenants is not the caller's to give; installers claim, the office issues tokens");
    }

    [Test]
    public async Task An_installer_claims_and_credentials_a_device_of_its_tenant_and_is_recorded_as_itself_whatever_the_body_says()
    {
        var device = await RegisterAsync("water");
        using var issuedToken = await _waterOperator.PostAsync("api/claim-tokens", Json($$"""{"device":"{{device}}","by":"the mayor"}"""));
        var token = (await issuedToken.Content.ReadFromJsonAsync(LedgerJson.Default.ClaimTokenIssued))!.Token;

        using var claimed = await _waterInstaller.PostAsync($"api/devices/{device}/claim", Json($$"""{"token":"{{token}}","installer":"li.wei"}"""));
        using var issued = await _waterInstaller.PostAsync($"api/devices/{device}/credentials", Json("""{"by":"pole crew 3"}"""));
        using var moved = await _waterInstaller.PostAsync($"api/devices/{device}/lifecycle", Json("""{"state":"commissioned","reason":"all sensors answer","by":"key:other (admin)"}"""));
        using var broker = await _waterInstaller.GetAsync("api/broker/mosquitto");

        Assert.That(
            new[] { issuedToken.StatusCode, claimed.StatusCode, issued.StatusCode, moved.StatusCode, broker.StatusCode },
            Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Forbidden }));
        var held = await DetailsAsync(device);
        var installer = (await _waterInstaller.GetFromJsonAsync("api/me", AccessJson.Default.CallerInfo))!.Name;
        Assert.That(installer, Does.StartWith("key:").And.EndWith(" (pole crew 3)"));
        Assert.That(held.Ledger!.Installer, Is.EqualTo($"{installer}, noted as 'li.wei'"));
        Assert.That(held.Ledger.History[^1].By, Is.EqualTo($"{installer}, noted as 'key:other (admin)'"), "a body cannot claim another identity");
        Assert.That(held.Credentials.Single().IssuedBy, Is.EqualTo(installer), "a note the caller's name holds adds nothing");
        var audit = await _fleet.AuditAsync($"target={device}");
        Assert.That(audit.Select(entry => (entry.Action, entry.Outcome)), Is.EqualTo(new[]
        {
            ("device.register", AuditOutcome.Succeeded),
            ("claim-token.issue", AuditOutcome.Succeeded),
            ("device.claim", AuditOutcome.Succeeded),
            ("credential.issue", AuditOutcome.Succeeded),
            ("device.lifecycle", AuditOutcome.Succeeded),
        }));
        Assert.That(audit.Select(entry => entry.Tenant), Is.All.EqualTo("water"));
        Assert.That(audit[2].Detail, Does.Contain("installed by").And.Contain("pole crew 3"));
    }

    [Test]
    public async Task Every_ledger_and_credential_change_and_every_refused_one_is_audited()
    {
        var device = await RegisterAsync("water");

        await SendAsync(_waterOperator, "PATCH", $"api/devices/{device}", """{"firmware":"1.5.0"}""");
        await SendAsync(_waterOperator, "PATCH", $"api/devices/{device}", """{"latitude":"north"}""");
        await SendAsync(_waterOperator, "POST", $"api/devices/{device}/lifecycle", """{"state":"inService","reason":"skipping steps"}""");
        await SendAsync(_admin, "POST", $"api/devices/{device}/credentials", "{}");
        await SendAsync(_admin, "POST", $"api/devices/{device}/credentials/rotate", """{"revokeOld":true}""");
        await SendAsync(_admin, "POST", $"api/devices/{device}/credentials/revoke", """{"reason":"lost"}""");
        await SendAsync(_waterOperator, "POST", $"api/devices/{device}/decommission", """{"reason":"street rebuilt"}""");

        var audit = await _fleet.AuditAsync($"target={device}");
        Assert.That(audit.Select(entry => (entry.Action, entry.Outcome)), Is.EqualTo(new[]
        {
            ("device.register", AuditOutcome.Succeeded),
            ("device.update", AuditOutcome.Succeeded),
            ("device.update", AuditOutcome.Failed),
            ("device.lifecycle", AuditOutcome.Failed),
            ("credential.issue", AuditOutcome.Succeeded),
            ("credential.rotate", AuditOutcome.Succeeded),
            ("credential.revoke", AuditOutcome.Succeeded),
            ("device.lifecycle", AuditOutcome.Succeeded),
        }));
        Assert.That(audit[3].Detail, Does.StartWith("refused: state: expected"));
        Assert.That(audit[^1].Detail, Does.Contain("registered → decommissioned: street rebuilt"));
    }

    [Test]
    public async Task A_tenants_list_holds_neither_other_tenants_devices_nor_unregistered_ones_whatever_the_filters()
    {
        var byTenant = await _waterOperator.GetFromJsonAsync("api/devices?tenant=gas", LedgerJson.Default.IReadOnlyListDeviceListItem);
        var unregistered = await _waterOperator.GetFromJsonAsync("api/devices?registered=false", LedgerJson.Default.IReadOnlyListDeviceListItem);
        var byGateway = await _waterOperator.GetFromJsonAsync("api/devices?gateway=gw-gas", LedgerJson.Default.IReadOnlyListDeviceListItem);
        using var cityOperator = _fleet.Host.CreateClient(await _fleet.KeyAsync("city dispatch", FleetRole.Operator));
        var cityWide = await cityOperator.GetFromJsonAsync("api/devices", LedgerJson.Default.IReadOnlyListDeviceListItem);

        Assert.That(byTenant, Is.Empty);
        Assert.That(unregistered, Is.Empty);
        Assert.That(byGateway, Is.Empty);
        Assert.That(cityWide!.Select(device => device.Id), Does.Contain("mtr-gas").And.Not.Contain("mtr-stray"), "a device without an owner is for city-wide admins");
    }

    private async Task<string> RegisterAsync(string tenant, string? batch = null)
    {
        var code = $"la-{tenant}-{Interlocked.Increment(ref _devices)}";
        var registration = new DeviceRegistration { Code = code, Kind = DeviceKind.Sensor, Tenant = tenant, Batch = batch };
        using var response = await _admin.PostAsJsonAsync("api/devices", registration, LedgerJson.Default.DeviceRegistration);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return code;
    }

    private async Task<DeviceDetails> DetailsAsync(string code) =>
        (await _admin.GetFromJsonAsync($"api/devices/{code}", LedgerJson.Default.DeviceDetails))!;

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string body) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = body.Length == 0 ? null : Json(body) });

    /// <summary>A problem document without what differs by request anyway (its trace id) and with the device named neutrally.</summary>
    private static string Redacted(string problem, string id)
    {
        using var document = System.Text.Json.JsonDocument.Parse(problem);
        var root = document.RootElement;
        return $"{root.GetProperty("status").GetInt32()} {root.GetProperty("title").GetString()} {root.GetProperty("detail").GetString()!.Replace(id, "<id>", StringComparison.Ordinal)}";
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private sealed record ProblemBody(string? Title, string? Detail);
}
