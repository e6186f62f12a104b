using CivicEdge.Gateway.Tests.Support;
using static CivicEdge.Gateway.Tests.Support.GatewayConfigurations;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class DeviceUpdateOptionsValidationTests
{
    private TempDirectory _directory = null!;
    private string _profiles = null!;
    private string _data = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        var profiles = Directory.CreateDirectory(_directory.File("profiles")).FullName;
        File.WriteAllText(Path.Combine(profiles, "test-meter.yaml"), TestProfiles.MeterYaml);
        _profiles = profiles;
        _data = _directory.File("gateway.db");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Device_update_switched_off_needs_nothing_more()
    {
        Assert.That(Problems(Valid(_profiles, _data, ("DeviceUpdate:Enabled", "false"))), Is.Empty);
    }

    [Test]
    public void Device_update_names_its_own_keys_and_the_self_update_keys_it_shares_when_they_are_missing_or_wrong()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("DeviceUpdate:Enabled", "true"),
            ("DeviceUpdate:Transfer:ChunkBytes", "245"),
            ("SelfUpdate:FleetUrl", "ftp://fleet"),
            ("SelfUpdate:TrustedKeyFiles:0", _directory.File("missing.pem"))));

        Assert.That(problems, Has.Some.StartsWith("DeviceUpdate:Profiles is []; expected the profile models"));
        Assert.That(problems, Has.Some.StartsWith("DeviceUpdate:Transfer: ChunkBytes must be an even 2..244").And.Some.Contains("found 245"));
        Assert.That(problems, Has.Some.StartsWith("SelfUpdate:FleetUrl is 'ftp://fleet'"));
        Assert.That(problems, Has.Some.StartsWith("DeviceUpdate:Enabled is true, but the uplink has no password credential"));
        Assert.That(problems, Has.Some.StartsWith($"SelfUpdate:TrustedKeyFiles names '{_directory.File("missing.pem")}'"));
    }

    [Test]
    public void Device_update_downloads_with_the_uplinks_password_so_a_password_file_is_enough()
    {
        var secret = _directory.File("uplink.secret");
        File.WriteAllText(secret, "s3cret\n");
        File.WriteAllText(_directory.File("release.pub.pem"), "not checked here");

        var problems = Problems(Valid(_profiles, _data,
            ("DeviceUpdate:Enabled", "true"),
            ("DeviceUpdate:Profiles:0", TestProfiles.MeterModel),
            ("SelfUpdate:TrustedKeyFiles:0", _directory.File("release.pub.pem")),
            ("Uplink:Username", "gw-test-01"),
            ("Uplink:PasswordFile", secret)));

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Self_update_on_a_certificate_only_uplink_is_refused_at_start_up_saying_a_password_is_needed()
    {
        var problems = Problems(Valid(_profiles, _data, ("SelfUpdate:Enabled", "true")));

        Assert.That(problems, Has.Some.StartsWith("SelfUpdate:Enabled is true, but the uplink has no password credential")
            .And.Some.Contains("expected Uplink:Username with Uplink:Password or Uplink:PasswordFile"));
    }

    [TestCase("SelfUpdate:ApiKeyFile")]
    [TestCase("DeviceUpdate:ApiKeyFile")]
    public void The_api_key_file_downloads_once_took_is_refused_as_an_unknown_key(string key)
    {
        var problems = Problems(Valid(_profiles, _data, (key, "/etc/civicedge/fleet.key")));

        Assert.That(problems, Has.Some.StartsWith($"{key} is not a known key"));
    }

    [Test]
    public void An_unknown_key_under_device_update_transfer_is_named()
    {
        var problems = Problems(Valid(_profiles, _data, ("DeviceUpdate:Transfer:ChunkSize", "100")));

        Assert.That(problems, Has.Some.StartsWith("DeviceUpdate:Transfer:ChunkSize is not a known key"));
    }

    [TestCase("DeviceUpdate:Transfer:ProgressStep", "1.5", "ProgressStep must be above 0 and at most 1")]
    [TestCase("DeviceUpdate:Transfer:ProgressStep", "0", "ProgressStep must be above 0 and at most 1")]
    [TestCase("DeviceUpdate:Transfer:ProgressInterval", "00:00:00", "ProgressInterval must be positive")]
    public void A_progress_setting_out_of_range_is_named_with_what_it_must_be(string key, string value, string expected)
    {
        var problems = Problems(Valid(_profiles, _data, ("DeviceUpdate:Enabled", "true"), (key, value)));

        Assert.That(problems, Has.Some.StartsWith("DeviceUpdate:Transfer: " + expected).And.Some.Contains("found " + value));
    }

    [Test]
    public void Progress_settings_in_range_are_taken()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("DeviceUpdate:Enabled", "true"), ("DeviceUpdate:Transfer:ProgressStep", "0.25"), ("DeviceUpdate:Transfer:ProgressInterval", "00:00:10")));

        Assert.That(problems, Is.Not.Empty, "the other keys of an enabled section are still missing");
        Assert.That(problems, Has.None.StartsWith("DeviceUpdate:Transfer"));
    }
}
