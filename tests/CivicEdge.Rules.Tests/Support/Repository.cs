using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;

namespace CivicEdge.Rules.Tests.Support;

/// <summary>The hardware profiles and rule templates of the source tree the tests were built from.</summary>
internal static class Repository
{
    public static string ProfilesDirectory { get; } =
        ProfileDirectory.FindAbove([TestContext.CurrentContext.TestDirectory])
        ?? throw new InvalidOperationException($"No hardware/profiles above {TestContext.CurrentContext.TestDirectory}.");

    public static string RulesDirectory { get; } = Path.Combine(Path.GetDirectoryName(ProfilesDirectory)!, "rules");

    public static IPointCatalog Catalog { get; } = new ProfilePointCatalog(ProfileLoader.LoadDirectory(ProfilesDirectory));
}
