using CivicEdge.Simulators.Processes;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// The <c>appsettings.json</c> shipped beside the gateway is read before the operator's <c>--config</c> file, and .NET
/// configuration merges arrays by index: a device in it would merge into the operator's first device or poll a device
/// that is not there. So it carries defaults only; the complete example is <c>gateway/deploy/gateway.example.json</c>.
/// </summary>
[Category("EndToEnd")]
public sealed class ShippedConfigurationTests
{
    [Test]
    public async Task A_gateway_given_only_its_id_polls_no_device_of_the_shipped_settings()
    {
        var workDirectory = Directory.CreateTempSubdirectory("civicedge-shipped-");
        try
        {
            await using var gateway = ChildProcess.Start("gateway", BuiltExecutables.Gateway,
            [
                "--Gateway:Id=gw-shipped-01",
                $"--Gateway:DataPath={Path.Combine(workDirectory.FullName, "gateway.db")}",
                "--Gateway:Http:Url=http://127.0.0.1:0",
                "--Uplink:Port=1",
            ], workingDirectory: workDirectory.FullName);

            var ready = await gateway.WaitForLineAsync(l => l.Contains("civicedge-gateway ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            Assert.That(ready, Does.EndWith("devices=0"));
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task A_gateway_without_an_id_refuses_to_start_and_names_the_key()
    {
        var workDirectory = Directory.CreateTempSubdirectory("civicedge-shipped-");
        try
        {
            await using var gateway = ChildProcess.Start("gateway", BuiltExecutables.Gateway,
                [$"--Gateway:DataPath={Path.Combine(workDirectory.FullName, "gateway.db")}"], workingDirectory: workDirectory.FullName);

            var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(gateway.RecentOutput, Does.Contain("Gateway:Id"));
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }
}
