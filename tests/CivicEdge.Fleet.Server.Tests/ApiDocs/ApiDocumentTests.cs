using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.ApiDocs;

/// <summary>
/// The OpenAPI document describes the whole REST API as mapped: every endpoint with its summary, its security
/// requirement and its refusals as problem details; the reference UI is served by the fleet itself.
/// </summary>
[Category("Integration")]
public sealed class ApiDocumentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private FleetHost _fleet = null!;
    private JsonDocument _document = null!;
    private List<(string Path, string Method, bool Anonymous, bool Permission)> _mapped = null!;

    [OneTimeSetUp]
    public async Task ReadTheDocument()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = new FleetHost();
        await _fleet.StartAsync(cancel.Token);
        using var anonymous = _fleet.CreateClient(null);
        using var response = await anonymous.GetAsync("openapi/v1.json", cancel.Token);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the document is public: it holds no data");
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel.Token));

        _mapped = _fleet.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => (
                Path: "/" + string.Join('/', endpoint.RoutePattern.RawText!.Split('/', StringSplitOptions.RemoveEmptyEntries)),
                Method: method.ToLowerInvariant(),
                Anonymous: endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                Permission: endpoint.Metadata.GetMetadata<CivicEdge.Fleet.Server.Access.RequiredPermission>() is not null)))
            .ToList();
    }

    [OneTimeTearDown]
    public async Task StopTheFleet()
    {
        _document?.Dispose();
        await _fleet.DisposeAsync();
    }

    [Test]
    public void The_scan_finds_the_api_it_is_meant_to_check()
    {
        // Guards the guard: a route scan that found nothing would pass the tests below vacuously.
        Assert.That(_mapped.Select(e => $"{e.Method} {e.Path}"), Is.SupersetOf(new[]
        {
            "get /api/devices", "get /api/devices/{id}/telemetry", "put /api/devices/{id}/twin/desired",
            "get /api/gateways/{id}/health", "get /api/events", "get /api/audit", "post /api/keys", "get /api/me",
        }));
    }

    [Test]
    public void Every_endpoint_but_who_am_i_requires_a_permission_of_its_own()
    {
        Assert.That(_mapped.Where(e => !e.Permission).Select(e => $"{e.Method} {e.Path}"), Is.EqualTo(new[] { "get /api/me" }));
    }

    [Test]
    public void The_document_declares_both_ways_to_authenticate()
    {
        var schemes = _document.RootElement.GetProperty("components").GetProperty("securitySchemes");

        Assert.That((schemes.GetProperty("apiKey").GetProperty("type").GetString(), schemes.GetProperty("apiKey").GetProperty("in").GetString(), schemes.GetProperty("apiKey").GetProperty("name").GetString()),
            Is.EqualTo(("apiKey", "header", "X-Api-Key")));
        Assert.That((schemes.GetProperty("bearer").GetProperty("type").GetString(), schemes.GetProperty("bearer").GetProperty("scheme").GetString()),
            Is.EqualTo(("http", "bearer")));
    }

    [Test]
    public void Every_mapped_endpoint_is_in_the_document_with_a_summary_its_security_and_a_problem_document_for_refusals()
    {
        var paths = _document.RootElement.GetProperty("paths");
        var problems = new List<string>();
        foreach (var (path, method, anonymous, permission) in _mapped)
        {
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method, out var operation))
            {
                problems.Add($"{method} {path}: not in the document");
                continue;
            }

            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                problems.Add($"{method} {path}: no summary");
            if (anonymous)
                continue;

            var security = operation.TryGetProperty("security", out var requirements)
                ? requirements.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList()
                : [];
            if (!security.Contains("apiKey") || !security.Contains("bearer"))
                problems.Add($"{method} {path}: security [{string.Join(", ", security)}], expected apiKey and bearer");

            var responses = operation.GetProperty("responses");
            foreach (var status in permission ? new[] { "401", "403" } : ["401"])
            {
                if (!responses.TryGetProperty(status, out var response)
                    || !response.TryGetProperty("content", out var content)
                    || !content.TryGetProperty("application/problem+json", out _))
                {
                    problems.Add($"{method} {path}: no {status} problem document");
                }
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Every_operation_in_the_document_names_a_permission_or_says_any_caller_may()
    {
        var operations = _document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name} {path.Name}", Description: op.Value.TryGetProperty("description", out var d) ? d.GetString() : null)))
            .ToList();

        Assert.That(operations.Where(op => op.Description is null || !(op.Description.StartsWith("Requires permission", StringComparison.Ordinal) || op.Description.StartsWith("Any authenticated", StringComparison.Ordinal))), Is.Empty);
        Assert.That(operations.Single(op => op.Name == "put /api/devices/{id}/twin/desired").Description, Is.EqualTo("Requires permission `changeTwin` (roles: admin, operator)."));
    }

    [Test]
    public void Bodies_are_described_in_the_wire_format_camel_case_with_enums_as_strings()
    {
        var schemas = _document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.That(schemas.GetProperty("DeviceListItem").GetProperty("properties").EnumerateObject().Select(p => p.Name), Does.Contain("lastSeen"));
        Assert.That(schemas.GetProperty("FleetRole").GetProperty("enum").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "admin", "operator", "installer", "regulator" }));
    }

    [Test]
    public async Task The_api_reference_page_and_its_script_are_served_by_the_fleet_without_credentials()
    {
        using var anonymous = _fleet.CreateClient(null);

        var page = await anonymous.GetStringAsync("docs/");
        var script = System.Text.RegularExpressions.Regex.Match(page, @"<script[^>]+src=""(?<src>[^""]+)""").Groups["src"].Value;
        using var scriptResponse = await anonymous.GetAsync(new Uri(new Uri(anonymous.BaseAddress!, "docs/"), script));

        Assert.That(page, Does.Contain("CivicEdge fleet API").And.Contain("\"url\":\"openapi/v1.json\""), "resolved against the site root by the page");
        Assert.That(script, Is.Not.Empty.And.Not.StartsWith("http"), "served locally: a city's network may have no way out");
        Assert.That(scriptResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), script);
    }
}
