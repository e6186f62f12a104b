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
        Assert.That(problems, Has.Some.StartsWith("SelfUpdate:ApiKeyFile is ''"));
        Assert.That(problems, Has.Some.StartsWith($"SelfUpdate:TrustedKeyFiles names '{_directory.File("missing.pem")}'"));
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
