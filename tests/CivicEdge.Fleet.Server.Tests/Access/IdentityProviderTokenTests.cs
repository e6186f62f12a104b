using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Contracts.Ledger;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary>
/// Bearer tokens from the city's identity provider: the fleet checks issuer, audience, lifetime and signature against
/// the provider's published keys (a JWKS file here), maps the role and tenant claims, and refuses what does not fit.
/// </summary>
[Category("Integration")]
public sealed class IdentityProviderTokenTests
{
    private const string Issuer = "https://id.city.example/realms/city";
    private const string Audience = "civicedge-fleet";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly RSA _providerKey = RSA.Create(2048);
    private readonly RSA _strangerKey = RSA.Create(2048);
    private string _directory = string.Empty;
    private TenantFleet _fleet = null!;

    [OneTimeSetUp]
    public async Task StartTheFleet()
    {
        _directory = Directory.CreateTempSubdirectory("civicedge-idp-").FullName;
        var jwks = Path.Combine(_directory, "jwks.json");
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_providerKey.ExportParameters(false)) { KeyId = "city-2026" });
        await File.WriteAllTextAsync(jwks, $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{jwk.Kid}}","n":"{{jwk.N}}","e":"{{jwk.E}}"}]}""");

        using var cancel = new CancellationTokenSource(Timeout);
        _fleet = await TenantFleet.StartAsync(cancel.Token, new Dictionary<string, string>
        {
            ["Fleet:Access:Jwt:Enabled"] = "true",
            ["Fleet:Access:Jwt:Issuer"] = Issuer,
            ["Fleet:Access:Jwt:Audience"] = Audience,
            ["Fleet:Access:Jwt:SigningKeysFile"] = jwks,
            ["Fleet:Access:Jwt:NameClaim"] = "preferred_username",
            ["Fleet:Access:Jwt:RoleClaim"] = "roles",
            ["Fleet:Access:Jwt:Roles:water-dispatcher"] = "operator",
            ["Fleet:Access:Jwt:Roles:supervision"] = "regulator",
            ["Fleet:Access:Jwt:Roles:city-it"] = "admin",
        });
    }

    [OneTimeTearDown]
    public async Task StopTheFleet()
    {
        await _fleet.DisposeAsync();
        _providerKey.Dispose();
        _strangerKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task A_valid_token_acts_with_the_mapped_role_for_its_tenants_only()
    {
        using var client = Client(Token(roles: ["staff", "water-dispatcher"], tenants: ["water"]));

        var me = await client.GetFromJsonAsync("api/me", AccessJson.Default.CallerInfo);
        var devices = await client.GetFromJsonAsync("api/devices", LedgerJson.Default.IReadOnlyListDeviceListItem);

        Assert.That((me!.Name, me.Role, me.Method), Is.EqualTo(("li.wei", FleetRole.Operator, "jwt")));
        Assert.That(devices!.Select(d => d.Id), Is.EqualTo(new[] { "gw-water", "mtr-water" }));
    }

    [Test]
    public async Task A_city_wide_token_sees_every_tenant()
    {
        using var client = Client(Token(roles: ["city-it"], tenants: ["*"]));

        var devices = await client.GetFromJsonAsync("api/devices", LedgerJson.Default.IReadOnlyListDeviceListItem);

        Assert.That(devices!.Select(d => d.Id), Is.EquivalentTo(new[] { "gw-gas", "gw-water", "mtr-water", "mtr-gas", "mtr-stray" }));
    }

    [Test]
    public async Task A_regulators_token_cannot_change_a_twin_and_the_refusal_names_the_person()
    {
        using var client = Client(Token(roles: ["supervision"], tenants: ["water"], name: "zhang.min"));

        using var response = await client.PutAsync("api/devices/gw-water/twin/desired", new StringContent("""{"devices":[]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var denial = (await _fleet.AuditAsync("action=access.denied&actor=zhang.min")).Single();
        Assert.That((denial.Role, denial.ActorTenants.Single()), Is.EqualTo(((FleetRole?)FleetRole.Regulator, "water")));
    }

    [TestCase("issuer", "expected the configured issuer, found 'https://elsewhere.example'")]
    [TestCase("audience", "not issued for this fleet's audience")]
    [TestCase("expired", "it expired at")]
    [TestCase("signature", "signature does not verify")]
    [TestCase("role", "names no fleet role")]
    [TestCase("tenant", "names no tenant")]
    public async Task A_token_that_does_not_fit_is_refused_with_401_and_audited(string fault, string reason)
    {
        var token = fault switch
        {
            "issuer" => Token(issuer: "https://elsewhere.example"),
            "audience" => Token(audience: "another-app"),
            "expired" => Token(expires: DateTime.UtcNow.AddHours(-1)),
            "signature" => Token(key: _strangerKey),
            "role" => Token(roles: ["staff"]),
            _ => Token(tenants: []),
        };
        using var client = Client(token);

        using var response = await client.GetAsync($"api/devices?fault={fault}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain(reason));
        var denial = (await _fleet.AuditAsync("action=access.denied&actor=bearer token")).Last(e => e.Detail!.Contains($"fault={fault}", StringComparison.Ordinal));
        Assert.That(denial.Detail, Does.Contain(reason));
    }

    private HttpClient Client(string token)
    {
        var client = _fleet.Host.CreateClient(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private string Token(
        string[]? roles = null,
        string[]? tenants = null,
        string name = "li.wei",
        string issuer = Issuer,
        string audience = Audience,
        DateTime? expires = null,
        RSA? key = null)
    {
        var end = expires ?? DateTime.UtcNow.AddMinutes(10);
        var claims = new Dictionary<string, object>
        {
            ["preferred_username"] = name,
            ["roles"] = roles ?? ["water-dispatcher"],
        };
        if ((tenants ?? ["water"]).Length > 0)
            claims["tenant"] = tenants ?? ["water"];

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = end.AddMinutes(-20),
            NotBefore = end.AddMinutes(-20),
            Expires = end,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _providerKey) { KeyId = "city-2026" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
