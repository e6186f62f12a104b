using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CivicEdge.Gateway.Tests.Configuration;

/// <summary>
/// gateway/deploy/gateway.example.json is what an operator copies to /etc/civicedge/gateway.json: it must pass the
/// gateway's own start-up checks with the repository's profiles, once the machine-specific paths exist.
/// </summary>
[Category("Unit")]
public sealed class DeployedExampleTests
{
    [Test]
    public void The_deployed_example_configuration_passes_every_start_up_check()
    {
        using var directory = new TempDirectory();
        var passwordFile = directory.File("uplink.password");
        File.WriteAllText(passwordFile, "s3cret-from-the-fleet\n");
        var example = Path.Combine(RepositoryRoot().FullName, "gateway", "deploy", "gateway.example.json");
        var settings = new ConfigurationBuilder().AddJsonFile(example).Build().AsEnumerable()
            .Where(entry => entry.Value is not null)
            .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.OrdinalIgnoreCase);
        settings["Gateway:DataPath"] = directory.File("gateway.db");
        settings["Gateway:ProfilesPath"] = Path.Combine(RepositoryRoot().FullName, "hardware", "profiles");
        settings["Uplink:PasswordFile"] = passwordFile;

        Assert.That(GatewayConfigurations.Problems(settings), Is.Empty);
        Assert.That(settings.Keys.Where(key => key.StartsWith("Devices:", StringComparison.Ordinal) && key.EndsWith(":Bus", StringComparison.Ordinal)), Is.Not.Empty,
            "the example shows devices on named buses");
        Assert.That(bool.Parse(settings["Uplink:Tls"]!), Is.True, "the example connects over TLS");
    }

    private static DirectoryInfo RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir;
        }

        throw new InvalidOperationException("No CivicEdge.slnx above the test directory.");
    }
}
