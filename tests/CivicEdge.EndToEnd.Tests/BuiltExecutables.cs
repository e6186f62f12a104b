namespace CivicEdge.EndToEnd.Tests;

/// <summary>
/// Finds the executables the build produced beside this test assembly: with artifacts output every project builds to
/// <c>artifacts/bin/&lt;project&gt;/&lt;configuration&gt;/</c>, so the hosts sit in sibling folders of the same configuration.
/// </summary>
internal static class BuiltExecutables
{
    private static readonly DirectoryInfo TestOutput = new(TestContext.CurrentContext.TestDirectory);

    public static string Fleet => Find("CivicEdge.Fleet.Server", "civicedge-fleet");

    public static string Gateway => Find("CivicEdge.Gateway.Host", "civicedge-gateway");

    public static string Cli => Find("CivicEdge.Fleet.Cli", "civic");

    public static string Simulator => Find("CivicEdge.Simulators.Host", "civicsim");

    public static DirectoryInfo RepositoryRoot { get; } = FindRepositoryRoot();

    private static string Find(string project, string assembly)
    {
        var binRoot = TestOutput.Parent?.Parent ?? throw new InvalidOperationException($"Unexpected test output folder {TestOutput.FullName}.");
        var path = Path.Combine(binRoot.FullName, project, TestOutput.Name, assembly + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{assembly} was not built: expected {path}. Build the solution first (./build.sh --target=Build).", path);
    }

    private static DirectoryInfo FindRepositoryRoot()
    {
        for (var dir = TestOutput; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir;
        }
        throw new InvalidOperationException($"No CivicEdge.slnx above {TestOutput.FullName}.");
    }
}
