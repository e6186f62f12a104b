namespace CivicEdge.Simulators.Tests.Host;

/// <summary><c>civicsim load</c>'s OTA and health options as a user gives them on the command line.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CivicsimLoadTests
{
    [TestCase("--ota-trust release.pub.pem", "--ota-trust: expected --fleet-api too, the fleet the gateways download their payloads from; found none.")]
    [TestCase("--ota-failure-rate 1.5", "--ota-failure-rate: expected a share from 0 to 1, e.g. 0.03; found 1.5.")]
    [TestCase("--ota-feed-rate -1", "--ota-feed-rate: expected bytes per second, 0 or more; found -1.")]
    [TestCase("--health-interval 0", "--health-interval: expected a duration above zero such as 60s; found '0'.")]
    [TestCase("--ota-feeds-at-once 0", "--ota-feeds-at-once: expected a whole number of at least 1; found 0.")]
    public async Task A_bad_ota_or_health_option_is_refused_before_anything_connects_saying_what_was_expected(string arguments, string message)
    {
        var (exitCode, output) = await Civicsim.RunAsync(["load", .. arguments.Split(' ')]);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain(message));
        Assert.That(output, Does.Not.Contain("civicsim ready load"));
    }
}
