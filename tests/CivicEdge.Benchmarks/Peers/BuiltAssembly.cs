namespace CivicEdge.Benchmarks.Peers;

/// <summary>
/// Finds an executable of this repository as the Release build leaves it, <c>artifacts/bin/&lt;project&gt;/release/&lt;name&gt;.dll</c>,
/// searching from this assembly upwards: BenchmarkDotNet runs each job from a copy of the benchmarks built below
/// artifacts/ too. The benchmark project references the executables' projects without their assemblies, so building
/// the benchmarks builds them.
/// </summary>
internal static class BuiltAssembly
{
    public static string Find(string project, string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "artifacts", "bin", project, "release", name + ".dll");
            if (File.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException(
            $"{name} is not built: expected artifacts/bin/{project}/release/{name}.dll above {AppContext.BaseDirectory}. " +
            $"Build it with: dotnet build -c Release {project}");
    }
}
