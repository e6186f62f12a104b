using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Server.Tests.Ledger;

/// <summary>The ledger's REST API on the real fleet: registration, queries, changes, lifecycle and claims, and the problems it answers.</summary>
[TestFixture]
[Category("Integration")]
public sealed class LedgerApiTests
{
    private FleetHost _fleet = null!;
    private HttpClient _http = null!;
    private CancellationTokenSource _timeout = null!;

    private CancellationToken Timeout => _timeout.Token;

    [OneTimeSetUp]
    public async Task StartFleet()
    {
        _fleet = new FleetHost();
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _fleet.StartAsync(starting.Token);
        _http = _fleet.CreateClient();
        await RegisterAsync("api-gw-1", DeviceKind.Gateway, "city-bureau", district: "Jinshui", cancellationToken: starting.Token);
        await RegisterAsync("api-wm-1", DeviceKind.WaterMeter, "water-utility", gateway: "api-gw-1", district: "Jinshui", tags: ["pilot"], cancellationToken: starting.Token);
        await RegisterAsync("api-wm-2", DeviceKind.WaterMeter, "water-utility", gateway: "api-gw-1", district: "Erqi", tags: ["pilot", "night"], cancellationToken: starting.Token);
        await RegisterAsync("api-env-1", DeviceKind.EnvironmentStation, "ecology-bureau", district: "erqi", cancellationToken: starting.Token);
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
    public async Task Registering_answers_201_with_the_device_and_its_first_lifecycle_step()
    {
        using var response = await PostAsync("/api/devices", """
            {"code":"api-new-1","kind":"poleController","tenant":"urban-management","by":"zhang.min",
             "location":{"latitude":34.7466,"longitude":113.6253,"poleNumber":"P-0412","district":"Zhongyuan"},"tags":["Pilot"]}
            """);
        var answer = await response.Content.ReadFromJsonAsync(LedgerJson.Default.DeviceAnswer, Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((answer!.Device.Kind, answer.Device.State, answer.Device.Tags.Single()), Is.EqualTo((DeviceKind.PoleController, LifecycleState.Registered, "pilot")));
        Assert.That(answer.Device.History.Single().By, Is.EqualTo("key:testadmin0 (bootstrap), noted as 'zhang.min'"), "the caller, with the body's name as a note");
        Assert.That(await response.Content.ReadAsStringAsync(Timeout), Does.Contain("\"kind\":\"poleController\"").And.Contain("\"state\":\"registered\""));
    }

    [TestCase("""{"kind":"gateway","tenant":"t","by":"b"}""", "code", "code: expected a unified device code")]
    [TestCase("""{"code":"api-x","kind":"robot","tenant":"t","by":"b"}""", "kind", "kind: expected one of gateway, poleController")]
    [TestCase("""{"code":"api-x","kind":"gateway","by":"b"}""", "tenant", "tenant: expected a value, found none")]
    [TestCase("""{"code":"api-x","kind":"gateway","tenant":"t","by":"b","location":{"latitude":"north"}}""", "location.latitude", "location.latitude: expected a number of degrees")]
    [TestCase("""{"code":"api x","kind":"gateway","tenant":"t","by":"b"}""", "code", "code (topic-level scheme): character 4")]
    [TestCase("""{"code":"api-x","kind":"gateway","tenant":"t","by":"b","gateway":"api-env-1"}""", "gateway", "gateway: expected a gateway, found 'api-env-1' of kind environmentStation")]
    [TestCase("""not json""", "body", "body: expected a JSON object")]
    public async Task A_bad_registration_is_a_400_problem_naming_the_field(string body, string field, string expected)
    {
        using var response = await PostAsync("/api/devices", body);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString(), Does.StartWith(expected));
    }

    [Test]
    public async Task Registering_a_code_twice_is_a_409_problem()
    {
        using var response = await PostAsync("/api/devices", """{"code":"api-gw-1","kind":"gateway","tenant":"t","by":"b"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(Timeout), Does.Contain("code: expected a code not in the ledger, found 'api-gw-1' registered already"));
    }

    [TestCase("kind=waterMeter", new[] { "api-wm-1", "api-wm-2" })]
    [TestCase("kind=water-meter&tenant=water-utility&district=ERQI", new[] { "api-wm-2" })]
    [TestCase("tag=pilot&tag=night", new[] { "api-wm-2" })]
    [TestCase("gateway=api-gw-1", new[] { "api-wm-1", "api-wm-2" })]
    [TestCase("district=erqi", new[] { "api-env-1", "api-wm-2" })]
    [TestCase("tenant=city-bureau&state=registered", new[] { "api-gw-1" })]
    public async Task The_list_selects_by_every_filter_given(string query, string[] expected)
    {
        var devices = await _http.GetFromJsonAsync($"/api/devices?{query}", LedgerJson.Default.IReadOnlyListDeviceListItem, Timeout);

        Assert.That(devices!.Where(device => device.Id.StartsWith("api-", StringComparison.Ordinal)).Select(device => device.Id), Is.EqualTo(expected));
    }

    [TestCase("kind=robot", "kind")]
    [TestCase("state=retired", "state")]
    [TestCase("registered=maybe", "registered")]
    [TestCase("colour=red", "colour")]
    public async Task A_bad_list_parameter_is_a_400_problem_naming_it(string query, string parameter)
    {
        using var response = await _http.GetAsync(new Uri($"/api/devices?{query}", UriKind.Relative), Timeout);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), Is.True);
    }

    [Test]
    public async Task A_device_reporting_without_being_registered_is_listed_as_unregistered_and_shown()
    {
        await using var gateway = await TestSource.ConnectAsync(_fleet, "api-gw-telemetry", Timeout);
        await gateway.PublishAsync(new TelemetryBatch("api-gw-telemetry", Streams.Telemetry, [
            new TelemetryRecord(1, "api-stray-meter", "eastron-sdm630", DateTimeOffset.UtcNow, [new PointValue("voltage_l1", 230, "V", "voltage", Quality.Good)]),
        ]), Timeout);
        await gateway.NextAckAsync(Timeout);

        var unregistered = await _http.GetFromJsonAsync("/api/devices?state=unregistered", LedgerJson.Default.IReadOnlyListDeviceListItem, Timeout);
        var byGateway = await _http.GetFromJsonAsync("/api/devices?gateway=api-gw-telemetry", LedgerJson.Default.IReadOnlyListDeviceListItem, Timeout);
        var filteredByTenant = await _http.GetFromJsonAsync("/api/devices?tenant=water-utility", LedgerJson.Default.IReadOnlyListDeviceListItem, Timeout);
        var shown = await _http.GetFromJsonAsync("/api/devices/api-stray-meter", LedgerJson.Default.DeviceDetails, Timeout);

        var stray = unregistered!.Single(device => device.Id == "api-stray-meter");
        Assert.That((stray.Registered, stray.State, stray.Gateway, stray.Readings), Is.EqualTo((false, (LifecycleState?)null, "api-gw-telemetry", 1L)));
        Assert.That(unregistered!.Select(device => device.Id), Does.Not.Contain("api-gw-1"));
        Assert.That(byGateway!.Select(device => device.Id), Does.Contain("api-stray-meter"), "what telemetry knows can be asked");
        Assert.That(filteredByTenant!.Select(device => device.Id), Does.Not.Contain("api-stray-meter"), "an owner it has not");
        Assert.That((shown!.Registered, shown.Ledger, shown.Readings), Is.EqualTo((false, (LedgerDevice?)null, 1L)));
    }

    [Test]
    public async Task A_patch_merges_the_location_field_by_field_and_replaces_tags()
    {
        await RegisterAsync("api-patch-1", DeviceKind.Sensor, "water-utility", district: "Huiji", tags: ["a"]);

        using var response = await PatchAsync("api-patch-1", """{"location":{"poleNumber":"P-7"},"tags":["b","c"],"firmware":"2.0.1","model":null}""");
        var answer = await response.Content.ReadFromJsonAsync(LedgerJson.Default.DeviceAnswer, Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(Timeout));
        Assert.That(answer!.Device.Location, Is.EqualTo(new DeviceLocation(null, null, null, "P-7", "Huiji")));
        Assert.That((string.Join(",", answer.Device.Tags), answer.Device.Firmware, answer.Device.Model, answer.Device.Revision), Is.EqualTo(("b,c", "2.0.1", (string?)null, 2L)));
    }

    [TestCase("""{"kind":"lamp"}""", "kind")]
    [TestCase("""{"code":"other"}""", "code")]
    [TestCase("""{"state":"inService"}""", "state")]
    [TestCase("""{"colour":"red"}""", "colour")]
    [TestCase("""{"tags":"pilot"}""", "tags")]
    [TestCase("""{"location":{"latitude":95}}""", "location.latitude")]
    [TestCase("""{}""", "body")]
    public async Task A_patch_of_a_field_that_does_not_change_this_way_or_a_bad_value_is_a_problem_naming_it(string body, string field)
    {
        using var response = await PatchAsync("api-env-1", body);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.RootElement.ToString());
    }

    [Test]
    public async Task A_device_goes_through_its_life_and_an_impossible_step_is_a_409_naming_the_allowed_ones()
    {
        await RegisterAsync("api-life-1", DeviceKind.Lamp, "urban-management");

        using var skip = await PostAsync("/api/devices/api-life-1/lifecycle", """{"state":"inService","by":"op","reason":"hurry"}""");
        foreach (var (state, reason) in new[] { ("installed", "mounted"), ("commissioned", "all points answer"), ("inService", "handed over"), ("maintenance", "lamp flickers"), ("inService", "driver replaced") })
        {
            using var step = await PostAsync("/api/devices/api-life-1/lifecycle", $$"""{"state":"{{state}}","by":"op","reason":"{{reason}}"}""");
            Assert.That(step.StatusCode, Is.EqualTo(HttpStatusCode.OK), await step.Content.ReadAsStringAsync(Timeout));
        }

        using var decommission = await PostAsync("/api/devices/api-life-1/decommission", """{"by":"op","reason":"street rebuilt"}""");
        var device = await decommission.Content.ReadFromJsonAsync(LedgerJson.Default.LedgerDevice, Timeout);
        using var revive = await PostAsync("/api/devices/api-life-1/lifecycle", """{"state":"inService","by":"op","reason":"back"}""");

        Assert.That(skip.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await skip.Content.ReadAsStringAsync(Timeout), Does.Contain("state: expected installed or decommissioned after registered, found inService"));
        Assert.That(device!.History.Select(step => step.To), Is.EqualTo(new[]
        {
            LifecycleState.Registered, LifecycleState.Installed, LifecycleState.Commissioned, LifecycleState.InService,
            LifecycleState.Maintenance, LifecycleState.InService, LifecycleState.Decommissioned,
        }));
        Assert.That(device.History[^1].Reason, Is.EqualTo("street rebuilt"));
        Assert.That(revive.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task An_installer_claims_a_device_with_a_token_that_then_is_spent()
    {
        await RegisterAsync("api-claim-1", DeviceKind.GasMeter, "gas-utility");
        using var issued = await PostAsync("/api/claim-tokens", """{"device":"api-claim-1","lifetime":"02:00:00","by":"office"}""");
        var token = await issued.Content.ReadFromJsonAsync(LedgerJson.Default.ClaimTokenIssued, Timeout);

        using var claim = await PostAsync("/api/devices/api-claim-1/claim",
            $$"""{"token":"{{token!.Token}}","installer":"li.wei","location":{"latitude":34.75,"longitude":113.62},"issueCredential":true}""");
        var answer = await claim.Content.ReadFromJsonAsync(LedgerJson.Default.ClaimAnswer, Timeout);
        using var again = await PostAsync("/api/devices/api-claim-1/claim", $$"""{"token":"{{token.Token}}","installer":"li.wei"}""");

        Assert.That(issued.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(token.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddHours(2)).Within(TimeSpan.FromMinutes(1)));
        Assert.That((answer!.Device.State, answer.Device.Installer), Is.EqualTo((LifecycleState.Installed, "key:testadmin0 (bootstrap), noted as 'li.wei'")));
        Assert.That(answer.Credential!.Secret, Is.Not.Empty);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the device is installed: nothing left to claim");
    }

    [Test]
    public async Task Credentials_are_listed_without_secrets()
    {
        var secret = await _fleet.ProvisionAsync("api-cred-1", Timeout);

        var body = await _http.GetStringAsync(new Uri("/api/devices/api-cred-1/credentials", UriKind.Relative), Timeout);
        var details = await _http.GetStringAsync(new Uri("/api/devices/api-cred-1", UriKind.Relative), Timeout);

        Assert.That(body, Does.Contain("\"kind\":\"password\"").And.Contain("\"active\":true"));
        Assert.That(body + details, Does.Not.Contain(secret).And.Not.Contain("$7$"));
    }

    private async Task RegisterAsync(
        string code, DeviceKind kind, string tenant, string? gateway = null, string? district = null, string[]? tags = null, CancellationToken? cancellationToken = null)
    {
        var token = cancellationToken ?? Timeout;
        using var response = await _http.PostAsJsonAsync("/api/devices", new DeviceRegistration
        {
            Code = code, Kind = kind, Tenant = tenant, Gateway = gateway, Tags = tags, By = "test",
            Location = district is null ? null : new DeviceLocation(null, null, null, null, district),
        }, LedgerJson.Default.DeviceRegistration, token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync(token));
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), Timeout);

    private Task<HttpResponseMessage> PatchAsync(string code, string json) =>
        _http.PatchAsync(new Uri($"/api/devices/{code}", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/merge-patch+json"), Timeout);
}
