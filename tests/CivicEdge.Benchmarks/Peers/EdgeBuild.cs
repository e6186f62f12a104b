namespace CivicEdge.Benchmarks.Peers;

/// <summary>
/// Finds the edge (Native AOT) build of civicedge-gateway where <c>./build.sh --target=PublishEdge</c> leaves it,
/// <c>artifacts/publish-aot/linux-x64/civicedge-gateway</c>, searching from this assembly upwards.
/// </summary>
internal static class EdgeBuild
{
    public const string Runtime = "linux-x64";

    /// <summary>The executable, or null when the edge build has not been published.</summary>
    public static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "artifacts", "publish-aot", Runtime, "civicedge-gateway");
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }
}
