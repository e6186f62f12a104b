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
}
