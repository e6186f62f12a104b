using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Tests.SelfUpdate;

[Category("Unit")]
public sealed class SelfUpdateOptionsValidatorTests
{
    [Test]
    public void Disabled_self_update_needs_nothing_configured()
    {
        Assert.That(Validator(new UplinkOptions()).Validate(null, new SelfUpdateOptions()).Succeeded, Is.True);
    }

    [Test]
    public void Enabled_self_update_names_every_key_that_is_missing_or_wrong()
    {
        using var directory = new TempDirectory();
        var notAKey = directory.File("release.pub.pem");
        File.WriteAllText(notAKey, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        var options = new SelfUpdateOptions
        {
            Enabled = true,
            InstallRoot = directory.Path,
            FleetUrl = "ftp://fleet",
            TrustedKeyFiles = [notAKey],
            HealthWindow = TimeSpan.FromMinutes(20),
            MaxTrialBoots = 0,
        };

        var failures = Validator(new UplinkOptions { CertificateFile = "gw.crt.pem", KeyFile = "gw.key.pem" }).Validate(null, options).Failures!.ToList();

        Assert.That(failures, Has.Count.EqualTo(7));
        Assert.That(failures[0], Does.StartWith($"SelfUpdate:InstallRoot is '{directory.Path}'; expected a folder whose 'current' is a symbolic link"));
        Assert.That(failures[1], Does.StartWith("SelfUpdate:HardwareModel is empty"));
        Assert.That(failures[2], Does.StartWith("SelfUpdate:FleetUrl is 'ftp://fleet'"));
        Assert.That(failures[3], Does.StartWith("SelfUpdate:Enabled is true, but the uplink has no password credential (Uplink:Username is '', Uplink:Password and Uplink:PasswordFile are empty)"));
        Assert.That(failures[3], Does.EndWith("the gateway downloads artifacts with its own ledger password, and a certificate-only uplink cannot download them."));
        Assert.That(failures[4], Does.StartWith($"SelfUpdate:TrustedKeyFiles:0 is '{notAKey}'; expected a PEM 'PUBLIC KEY' block"));
        Assert.That(failures[5], Does.StartWith("SelfUpdate:HealthWindow is 00:20:00; expected more than 0 and less than SelfUpdate:TrialDeadline"));
        Assert.That(failures[6], Does.StartWith("SelfUpdate:MaxTrialBoots is 0"));
    }

    [Test]
    public void A_complete_configuration_passes()
    {
        using var directory = new TempDirectory();
        using var signer = OtaSigningKey.Generate();
        Directory.CreateDirectory(directory.File("slots/a"));
        File.CreateSymbolicLink(directory.File("current"), "slots/a");
        File.WriteAllText(directory.File("release.pub.pem"), signer.PublicKey.Pem);
        var options = new SelfUpdateOptions
        {
            Enabled = true,
            InstallRoot = directory.Path,
            HardwareModel = "linux-x64",
            TrustedKeyFiles = [directory.File("release.pub.pem")],
        };

        Assert.That(Validator(new UplinkOptions { Username = "gw-1", Password = "secret" }).Validate(null, options).Failures, Is.Null);
    }

    private static SelfUpdateOptionsValidator Validator(UplinkOptions uplink) => new(Options.Create(uplink));
}
