using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CivicEdge.Simulators.Load;

namespace CivicEdge.Simulators.Tests.Load;

[TestFixture]
[Category("Unit")]
public sealed class LoadEnrolmentTests
{
    [Test]
    public async Task Every_gateway_is_registered_as_a_gateway_of_the_tenant_and_issued_a_password_returned_by_its_id()
    {
        using var api = new StubLedgerApi();
        using var http = api.Client();

        var passwords = await LoadEnrolment.EnrolAsync(http, ["gw-load-00001", "gw-load-00002", "gw-load-00003"], "load-test", concurrency: 2, CancellationToken.None);

        Assert.That(passwords, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["gw-load-00001"] = "secret-of-gw-load-00001",
            ["gw-load-00002"] = "secret-of-gw-load-00002",
            ["gw-load-00003"] = "secret-of-gw-load-00003",
        }));
        var registrations = api.Requests.Where(request => request.Path == "/api/devices").Select(request => JsonDocument.Parse(request.Body).RootElement).ToList();
        Assert.That(registrations.Select(body => (body.GetProperty("kind").GetString(), body.GetProperty("tenant").GetString())), Is.All.EqualTo(("gateway", "load-test")));
        Assert.That(api.Requests.Where(request => request.Path.EndsWith("/credentials", StringComparison.Ordinal)).Select(request => request.Path).Order(), Is.EqualTo(new[]
        {
            "/api/devices/gw-load-00001/credentials",
            "/api/devices/gw-load-00002/credentials",
            "/api/devices/gw-load-00003/credentials",
        }));
        Assert.That(api.Requests.Select(request => request.Authorization), Is.All.EqualTo("Bearer ce_test"));
    }

    [Test]
    public async Task A_gateway_the_ledger_has_from_an_earlier_run_gets_a_new_password_and_its_old_ones_revoked()
    {
        using var api = new StubLedgerApi { Known = { "gw-load-00001" } };
        using var http = api.Client();

        var passwords = await LoadEnrolment.EnrolAsync(http, ["gw-load-00001"], "load-test", concurrency: 1, CancellationToken.None);

        var rotation = api.Requests.Single(request => request.Path.EndsWith("/rotate", StringComparison.Ordinal));
        Assert.That(rotation.Path, Is.EqualTo("/api/devices/gw-load-00001/credentials/rotate"));
        Assert.That(JsonDocument.Parse(rotation.Body).RootElement.GetProperty("revokeOld").GetBoolean(), Is.True);
        Assert.That(passwords["gw-load-00001"], Is.EqualTo("secret-of-gw-load-00001"));
    }

    [Test]
    public async Task A_refusal_names_the_gateway_and_carries_the_fleets_answer()
    {
        using var api = new StubLedgerApi { Refused = { "gw-load-00002" } };
        using var http = api.Client();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await LoadEnrolment.EnrolAsync(http, ["gw-load-00001", "gw-load-00002"], "load-test", concurrency: 1, CancellationToken.None));

        Assert.That(failure!.Message, Does.StartWith("registering gw-load-00002: the fleet at http://fleet.test answered 400 Bad Request:")
            .And.Contain("code (province scheme): character 3"));
    }

    [Test]
    public async Task The_devices_behind_each_gateway_are_registered_as_its_devices_with_their_kind_model_and_firmware_and_a_known_one_is_kept()
    {
        using var api = new StubLedgerApi { Known = { "gw-load-00002-m001" } };
        using var http = api.Client();
        var options = new LoadOptions { Gateways = 2, DevicesPerGateway = 2, DeviceModel = "SDM630", DeviceFirmware = "3.1.0" };

        var passwords = await LoadEnrolment.EnrolAsync(http, options, "load-test", concurrency: 2, CancellationToken.None);

        var devices = api.Requests.Where(request => request.Path == "/api/devices")
            .Select(request => JsonDocument.Parse(request.Body).RootElement)
            .Where(body => body.GetProperty("kind").GetString() != "gateway")
            .Select(body => (Code: body.GetProperty("code").GetString(), Gateway: body.GetProperty("gateway").GetString(), Kind: body.GetProperty("kind").GetString(), Model: body.GetProperty("model").GetString(), Firmware: body.GetProperty("firmware").GetString()))
            .OrderBy(device => device.Code, StringComparer.Ordinal)
            .ToList();
        Assert.That(passwords.Keys, Is.EquivalentTo(new[] { "gw-load-00001", "gw-load-00002" }));
        Assert.That(devices, Is.EqualTo(new[]
        {
            ("gw-load-00001-m001", "gw-load-00001", "energyMeter", "SDM630", "3.1.0"),
            ("gw-load-00001-m002", "gw-load-00001", "energyMeter", "SDM630", "3.1.0"),
            ("gw-load-00002-m001", "gw-load-00002", "energyMeter", "SDM630", "3.1.0"),
            ("gw-load-00002-m002", "gw-load-00002", "energyMeter", "SDM630", "3.1.0"),
        }));
    }

    /// <summary>The fleet's ledger endpoints as enrolment uses them: devices it knows answer 409, refused ones 400.</summary>
    private sealed class StubLedgerApi : HttpMessageHandler
    {
        public HashSet<string> Known { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<(string Path, string Body, string? Authorization)> Requests { get; } = new();

        public HttpClient Client()
        {
            var client = new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://fleet.test/") };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "ce_test");
            return client;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Enqueue((path, body, request.Headers.Authorization?.ToString()));
            if (path == "/api/devices")
            {
                var code = JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!;
                if (Refused.Contains(code))
                    return Answer(request, HttpStatusCode.BadRequest, """{"title":"Invalid device registration","detail":"code (province scheme): character 3: expected a digit, found 'l'"}""");
                return Answer(request, Known.Contains(code) ? HttpStatusCode.Conflict : HttpStatusCode.Created, "{}");
            }

            var device = path.Split('/')[3];
            return Answer(request, HttpStatusCode.Created, $$"""
                {"id":"c1","device":"{{device}}","kind":"password","secret":"secret-of-{{device}}","issuedAt":"2026-11-22T10:00:00Z"}
                """);
        }

        private static HttpResponseMessage Answer(HttpRequestMessage request, HttpStatusCode status, string json) =>
            new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json"), RequestMessage = request };
    }
}
