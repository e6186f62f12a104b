using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Server.Ota;

namespace CivicEdge.Fleet.Server.Tests.Ota;

[TestFixture]
[Category("Unit")]
public sealed class OtaOptionsTests
{
    private readonly OtaOptionsValidator _validator = new();

    [Test]
    public void No_trusted_keys_is_valid_and_refuses_every_upload_later()
    {
        Assert.That(_validator.Validate(null, new OtaOptions()).Succeeded, Is.True);
    }

    [Test]
    public void A_trusted_key_file_that_is_missing_or_not_a_p256_public_key_is_refused_naming_the_key_and_the_file()
    {
        var directory = Directory.CreateTempSubdirectory("civicedge-ota-options-").FullName;
        try
        {
            using var key = OtaSigningKey.Generate();
            var good = Path.Combine(directory, "good.pub.pem");
            var garbage = Path.Combine(directory, "garbage.pem");
            File.WriteAllText(good, key.PublicKey.Pem);
            File.WriteAllText(garbage, "not a key");
            var options = new OtaOptions { TrustedKeyFiles = [good, Path.Combine(directory, "missing.pem"), garbage], MaxArtifactBytes = 0 };

            var failures = _validator.Validate(null, options).Failures!.ToList();

            Assert.That(failures, Has.Count.EqualTo(3));
            Assert.That(failures[0], Does.StartWith("Fleet:Ota:TrustedKeyFiles:1:").And.Contain("missing.pem"));
            Assert.That(failures[1], Does.StartWith("Fleet:Ota:TrustedKeyFiles:2:").And.Contain("PUBLIC KEY"));
            Assert.That(failures[2], Does.StartWith("Fleet:Ota:MaxArtifactBytes:"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void A_status_backlog_below_one_report_is_refused_naming_the_key_and_what_was_found()
    {
        var failures = _validator.Validate(null, new OtaOptions { PendingStatusCapacity = 0 }).Failures!.ToList();

        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0], Does.StartWith("Fleet:Ota:PendingStatusCapacity:").And.Contain("found 0"));
    }
}
