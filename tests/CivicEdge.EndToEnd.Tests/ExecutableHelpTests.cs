using CivicEdge.Simulators.Processes;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>Every executable a user runs explains itself and exits without starting anything.</summary>
[Category("EndToEnd")]
public sealed class ExecutableHelpTests
{
    private static IEnumerable<TestCaseData> Executables()
    {
        yield return new TestCaseData("civicedge-fleet", (Func<string>)(() => BuiltExecutables.Fleet), "Fleet:Broker:Port").SetArgDisplayNames("civicedge-fleet");
        yield return new TestCaseData("civicedge-gateway", (Func<string>)(() => BuiltExecutables.Gateway), "Devices:N:Endpoint").SetArgDisplayNames("civicedge-gateway");
        yield return new TestCaseData("civic", (Func<string>)(() => BuiltExecutables.Cli), "devices").SetArgDisplayNames("civic");
        yield return new TestCaseData("civicsim", (Func<string>)(() => BuiltExecutables.Simulator), "modbus").SetArgDisplayNames("civicsim");
    }

    [TestCaseSource(nameof(Executables))]
    public async Task Help_describes_the_program_and_exits_zero(string name, Func<string> executable, string mentions)
    {
        var workDirectory = Directory.CreateTempSubdirectory("civicedge-help-");
        try
        {
            await using var process = ChildProcess.Start(name, executable(), ["--help"], workingDirectory: workDirectory.FullName);

            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.That(exitCode, Is.Zero, process.RecentOutput);
            Assert.That(process.StandardOutput, Does.Contain(name).And.Contain(mentions));
            Assert.That(workDirectory.GetFiles(), Is.Empty, "--help must not create a database or any other file");
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }
}
