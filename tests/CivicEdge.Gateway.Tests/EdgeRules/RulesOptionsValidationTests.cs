using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.EdgeRules;

[Category("Unit")]
public sealed class RulesOptionsValidationTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void A_rule_set_naming_a_point_its_model_lacks_stops_the_gateway_at_start_up_with_file_line_and_field()
    {
        var bad = Path.Combine(Directory.CreateDirectory(_directory.File("rules")).FullName, "bad.yaml");
        File.WriteAllText(bad, """
            schema: civicedge.rules/v1
            id: bad
            version: 1
            devices:
              meter: { model: test-meter }
            rules:
              - id: high
                when: meter.watts > 10
                then:
                  - raise: { alarm: high, severity: major, message: high }
            """);

        var problems = GatewayConfigurations.Problems(Settings(("Rules:Enabled", "true"), ("Rules:Files", bad)));

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("Rules:Files:0: bad.yaml:8:").And.Contain("rules[0].when").And.Contain("found 'watts'"));
    }

    [Test]
    public void Place_time_zone_tick_and_a_missing_file_are_each_named_by_their_key()
    {
        var problems = GatewayConfigurations.Problems(Settings(
            ("Rules:Enabled", "true"), ("Rules:Files:0", _directory.File("none.yaml")), ("Rules:Latitude", "91"), ("Rules:Longitude", "-181"),
            ("Rules:TimeZone", "Mars/Olympus"), ("Rules:TickInterval", "0s")));

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "Rules:Latitude is 91; expected degrees between -90 and 90 (north positive).",
            "Rules:Longitude is -181; expected degrees between -180 and 180 (east positive).",
            "Rules:TimeZone is 'Mars/Olympus'; expected an IANA time zone such as UTC or Asia/Shanghai.",
            "Rules:TickInterval is 00:00:00; expected 10ms..1m.",
        }), "the files are checked once the rest of the section is right");
    }

    [Test]
    public void A_misspelt_key_of_the_rules_section_is_refused()
    {
        var problems = GatewayConfigurations.Problems(Settings(("Rules:Enabled", "true"), ("Rules:Latitute", "34.7")));

        Assert.That(problems, Has.Some.StartWith("Rules:Latitute is not a known key; expected one of Rules:Enabled, Rules:Files"));
    }

    [Test]
    public void The_shipped_pole_templates_are_accepted_as_a_comma_separated_list()
    {
        var rules = Path.Combine(RepositoryRoot(), "hardware", "rules");
        var settings = Settings(("Rules:Enabled", "true"),
            ("Rules:Files", $"{Path.Combine(rules, "pole-lamp-failure.yaml")}, {Path.Combine(rules, "pole-door-open.yaml")}"));
        settings["Gateway:ProfilesPath"] = Path.Combine(RepositoryRoot(), "hardware", "profiles");
        settings["Devices:0:Profile"] = "civicedge-slc1";

        Assert.That(GatewayConfigurations.Problems(settings), Is.Empty);
    }

    private Dictionary<string, string?> Settings(params (string Key, string? Value)[] overrides) =>
        GatewayConfigurations.Valid(TestProfiles.WriteMeter(_directory), _directory.File("gateway.db"), overrides);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException("No CivicEdge.slnx above the test directory.");
    }
}
