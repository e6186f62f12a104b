using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Server.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace CivicEdge.Fleet.Server.Tests.Health;

[TestFixture]
[Category("Unit")]
public sealed class HealthConfigurationTests
{
    private readonly HealthOptionsValidator _validator = new();

    [Test]
    public void The_defaults_are_valid()
    {
        Assert.That(_validator.Validate(null, new HealthOptions()).Succeeded, Is.True);
    }

    [Test]
    public void Every_bad_value_is_refused_at_once_naming_its_key_with_what_was_expected()
    {
        var options = new HealthOptions
        {
            DefaultCadence = TimeSpan.Zero,
            OfflineAfterCadences = 1,
            MinFreeDiskShare = 1.5,
            Kinds = new(StringComparer.OrdinalIgnoreCase) { ["toaster"] = TimeSpan.FromMinutes(5) },
            SupplyVoltage = new(StringComparer.Ordinal) { ["battery_voltage"] = new VoltageRange { Min = 3.6, Max = 3.0 } },
            ProfilesPath = "/nonexistent/profiles",
        };

        var failures = _validator.Validate(null, options).Failures!.ToList();

        Assert.That(failures, Has.Some.EqualTo("Fleet:Health:DefaultCadence: expected a duration above zero such as 00:15:00, found 00:00:00"));
        Assert.That(failures, Has.Some.EqualTo("Fleet:Health:OfflineAfterCadences: expected 2 to 1000 (one missed cadence makes a device late), found 1"));
        Assert.That(failures, Has.Some.EqualTo("Fleet:Health:MinFreeDiskShare: expected a share from 0 to below 1 such as 0.1, found 1.5"));
        Assert.That(failures, Has.Some.StartsWith("Fleet:Health:Kinds:toaster: expected a device kind (gateway, poleController,"));
        Assert.That(failures, Has.Some.EqualTo("Fleet:Health:SupplyVoltage:battery_voltage: expected Min (3.6) not above Max (3)"));
        Assert.That(failures, Has.Some.StartsWith("Fleet:Health:ProfilesPath: expected a hardware profile file or folder that reads, found '/nonexistent/profiles'"));
    }

    [Test]
    public void A_hardware_profile_gives_its_model_the_longest_it_may_stay_silent_else_its_poll_interval()
    {
        var profiles = Path.Combine(RepositoryRoot(), "hardware", "profiles");
        var directory = Directory.CreateTempSubdirectory("civicedge-health-profiles-").FullName;
        try
        {
            var yaml = File.ReadAllLines(Path.Combine(profiles, "civicedge-slc1.yaml"))
                .Where(line => !line.StartsWith("maxSilence:", StringComparison.Ordinal))
                .Select(line => line.StartsWith("model:", StringComparison.Ordinal) ? "model: slc1-without-silence" : line);
            File.WriteAllLines(Path.Combine(directory, "slc1-without-silence.yaml"), yaml);

            var shipped = ProfileCadences.Load(profiles);
            var pollOnly = ProfileCadences.Load(directory);

            Assert.That((shipped["civicedge-slc1"], shipped["generic-water-meter"]), Is.EqualTo((TimeSpan.FromMinutes(15), TimeSpan.FromHours(1))));
            Assert.That(pollOnly["slc1-without-silence"], Is.EqualTo(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestCase("Fleet:Health:DefaultCadense", "00:05:00", "DefaultCadense")]
    [TestCase("Fleet:Health:Grace", "2 minutes", "Fleet:Health")]
    public void A_misspelt_key_or_a_value_that_does_not_convert_is_a_configuration_problem_naming_it(string key, string value, string named)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddFleetHealth();
        using var app = builder.Build();

        var problems = FleetComposition.FindConfigurationProblems(app.Services);

        Assert.That(problems, Has.Some.Contains(named).And.Some.StartsWith("Fleet:Health"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CivicEdge.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException("No CivicEdge.slnx above the test's directory.");
    }
}
