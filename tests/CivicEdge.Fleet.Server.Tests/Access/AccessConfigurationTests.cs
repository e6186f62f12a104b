using CivicEdge.Fleet.Server.Access;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary><c>Fleet:Access</c> is checked at start-up; each problem names its key, what was expected and what was found.</summary>
[Category("Unit")]
public sealed class AccessConfigurationTests
{
    private readonly AccessOptionsValidator _validator = new();

    [Test]
    public void The_defaults_are_valid()
    {
        Assert.That(_validator.Validate(null, new AccessOptions()).Succeeded, Is.True);
    }

    [Test]
    public void A_bootstrap_key_that_is_not_a_key_is_refused_without_echoing_it()
    {
        var result = _validator.Validate(null, new AccessOptions { BootstrapKey = "letmein" });

        Assert.That(result.Failures, Has.One.StartsWith("Fleet:Access:BootstrapKey: expected an API key starting with 'ce_'"));
        Assert.That(result.FailureMessage, Does.Not.Contain("letmein"));
    }

    [Test]
    public void A_bootstrap_key_and_a_key_file_together_are_refused()
    {
        var result = _validator.Validate(null, new AccessOptions { BootstrapKey = FleetHost.AdminKey, BootstrapKeyFile = "/var/lib/civicedge/admin.key" });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Fleet:Access:BootstrapKeyFile: expected either BootstrapKey or BootstrapKeyFile, found both" }));
    }

    [Test]
    public void Tokens_enabled_without_issuer_audience_keys_or_with_an_unknown_role_are_refused_naming_each_key()
    {
        var options = new AccessOptions { Jwt = { Enabled = true, SigningKeysFile = "/nonexistent/jwks.json" } };
        options.Jwt.Roles["dispatcher"] = "boss";

        var result = _validator.Validate(null, options);

        Assert.That(result.Failures!.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]), Is.EquivalentTo(new[]
        {
            "Fleet:Access:Jwt:Issuer", "Fleet:Access:Jwt:Audience", "Fleet:Access:Jwt:SigningKeysFile", "Fleet:Access:Jwt:Roles:dispatcher",
        }));
        Assert.That(result.Failures, Has.One.Contains("cannot read '/nonexistent/jwks.json'"));
        Assert.That(result.Failures, Has.One.EndsWith("expected admin, operator, installer or regulator, found 'boss'"));
    }

    [Test]
    public void A_signing_key_file_holding_no_key_is_refused_naming_the_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a key");
            var options = new AccessOptions { Jwt = { Enabled = true, Issuer = "https://id.city.example", Audience = "civicedge-fleet", SigningKeysFile = file } };

            var result = _validator.Validate(null, options);

            Assert.That(result.Failures, Has.One.StartsWith($"Fleet:Access:Jwt:SigningKeysFile: '{file}'"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
