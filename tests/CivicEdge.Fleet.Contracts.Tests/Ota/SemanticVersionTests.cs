using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

[Category("Unit")]
public sealed class SemanticVersionTests
{
    [Test]
    public void Versions_sort_in_the_precedence_order_of_semver_section_11()
    {
        // The example chain of semver.org §11.4, plus core ordering that is numeric, not textual.
        string[] ascending = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0"];

        var shuffled = ascending.Reverse().Select(SemanticVersion.Parse).ToList();
        shuffled.Sort();

        Assert.That(shuffled.Select(v => v.Text), Is.EqualTo(ascending));
    }

    [Test]
    public void Build_metadata_does_not_change_precedence()
    {
        Assert.That(SemanticVersion.Parse("1.4.2+build.7") == SemanticVersion.Parse("1.4.2+build.9"), Is.True);
        Assert.That(SemanticVersion.Parse("1.4.2+build.7") < SemanticVersion.Parse("1.4.3"), Is.True);
    }

    [TestCase("1.2", "three numbers")]
    [TestCase("01.2.3", "major version")]
    [TestCase("1.2.x", "patch version")]
    [TestCase("1.2.3-", "pre-release")]
    [TestCase("1.2.3-01", "pre-release")]
    [TestCase("1.2.3+a..b", "build metadata")]
    [TestCase("", "found nothing")]
    public void A_malformed_version_is_refused_with_the_part_that_is_wrong(string text, string named)
    {
        Assert.That(SemanticVersion.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(named));
    }
}
