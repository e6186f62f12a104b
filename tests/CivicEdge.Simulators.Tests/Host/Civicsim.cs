using CivicEdge.Simulators.Processes;

namespace CivicEdge.Simulators.Tests.Host;

/// <summary>Starts the <c>civicsim</c> built beside these tests as a real process.</summary>
internal static class Civicsim
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The host's build output mirrors this project's: artifacts/bin/&lt;project&gt;/&lt;configuration&gt;.</summary>
    private static string Assembly
    {
        get
        {
            var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            return Path.Combine(testDirectory.Parent!.Parent!.FullName, "CivicEdge.Simulators.Host", testDirectory.Name, "civicsim.dll");
        }
    }

    public static ChildProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.Start("civicsim", Assembly, arguments, environment: environment);

    /// <summary>Runs civicsim to completion and returns its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var process = Start(arguments);
        var exitCode = await process.WaitForExitAsync(Patience);
        return (exitCode, process.RecentOutput);
    }
}
