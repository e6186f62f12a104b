namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>Where the repository and the build output of this test run are.</summary>
internal static class RepositoryRoot
{
    public static DirectoryInfo Directory { get; } = Find();

    /// <summary>The build configuration's output folder name (<c>release</c>, <c>debug</c>), as the artifacts layout spells it.</summary>
    public static string Pivot => new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Name;

    /// <summary>
    /// The host build of the firmware project <paramref name="project"/> in this run's configuration. The artifacts
    /// layout puts its root beside the nearest Directory.Build.props, which for firmware projects is firmware/'s own.
    /// </summary>
    public static string AssemblyOf(string project)
    {
        var underFirmware = Path.Combine(Directory.FullName, "firmware", "artifacts", "bin", project, Pivot, project + ".dll");
        return File.Exists(underFirmware)
            ? underFirmware
            : Path.Combine(Directory.FullName, "artifacts", "bin", project, Pivot, project + ".dll");
    }

    private static DirectoryInfo Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CivicEdge.slnx")))
                return dir;
        }

        throw new InvalidOperationException($"No CivicEdge.slnx above {TestContext.CurrentContext.TestDirectory}.");
    }
}
