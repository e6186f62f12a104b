using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Security;
using CivicEdge.Fleet.Server.Ledger;
using CivicEdge.Fleet.Server.Security;

namespace CivicEdge.Fleet.Server.Tests.Ledger;

[TestFixture]
[Category("Unit")]
public sealed class LedgerConfigurationTests
{
    [Test]
    public void The_defaults_are_valid_and_secure()
    {
        Assert.That(new LedgerOptionsValidator().Validate(null, new LedgerOptions()).Succeeded, Is.True);
        Assert.That(new SecurityOptionsValidator().Validate(null, new SecurityOptions()).Succeeded, Is.True);
        Assert.That(new SecurityOptionsValidator().Validate(null, new BrokerSecurityOptions()).Succeeded, Is.True);
        Assert.That(new BrokerSecurityOptions().Authentication, Is.True, "security is the default; a lab turns it off");
        Assert.That(new LedgerOptions().CodeScheme, Is.EqualTo("province"));
    }

    [Test]
    public void Every_bad_ledger_value_is_named_with_its_key()
    {
        var result = new LedgerOptionsValidator().Validate(null, new LedgerOptions
        {
            CodeScheme = "pattern",
            CodePattern = "[0-9",
            CodeCheckCharacter = "luhn",
            DuplicateRadiusMetres = -1,
            ClaimTokenLifetime = TimeSpan.FromDays(8),
        });

        Assert.That(result.Failures!.Select(failure => failure[..failure.IndexOf(':', 13)]), Is.EqualTo(new[]
        {
            "Fleet:Ledger:CodePattern", "Fleet:Ledger:CodeCheckCharacter", "Fleet:Ledger:DuplicateRadiusMetres", "Fleet:Ledger:ClaimTokenLifetime",
        }));
    }

    [Test]
    public void An_unknown_code_scheme_is_named_with_the_ones_there_are()
    {
        var result = new LedgerOptionsValidator().Validate(null, new LedgerOptions { CodeScheme = "national" });

        Assert.That(result.FailureMessage, Is.EqualTo("Fleet:Ledger:CodeScheme: expected one of province, pattern, topic-level, found 'national'"));
    }

    [Test]
    public void Every_bad_security_value_is_named_with_its_key()
    {
        var validator = new SecurityOptionsValidator();

        var security = validator.Validate(null, new SecurityOptions { HashIterations = 10, CredentialGracePeriod = TimeSpan.FromDays(100) });
        var broker = validator.Validate(null, new BrokerSecurityOptions
        {
            Username = "fleet user",
            MaxPayloadBytes = 10,
            PasswordFile = "/nonexistent/secret",
            Tls = new BrokerTlsOptions { Enabled = true, CertificateFile = "/nonexistent/broker.pem" },
        });

        Assert.That(security.Failures!.Count(), Is.EqualTo(2));
        Assert.That(security.FailureMessage, Does.Contain("Fleet:Security:HashIterations").And.Contain("Fleet:Security:CredentialGracePeriod"));
        Assert.That(broker.FailureMessage, Does.Contain("Fleet:Broker:Username").And.Contain("Fleet:Broker:MaxPayloadBytes")
            .And.Contain("Fleet:Broker:PasswordFile").And.Contain("Fleet:Broker:Tls:KeyFile").And.Contain("Fleet:Broker:Tls:CertificateFile"));
    }

    [Test]
    public void The_usage_names_the_ledger_and_security_keys()
    {
        var usage = FleetCommandLine.Usage();

        Assert.That(usage, Does.Contain("Fleet:Broker:Authentication").And.Contain("Fleet:Ledger:CodeScheme").And.Contain("(default province)")
            .And.Contain("Fleet:Security:HashIterations").And.Contain("Fleet:Broker:Tls:Enabled").And.Contain("Fleet:Ledger:DuplicateRadiusMetres"));
    }
}
