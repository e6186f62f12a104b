namespace CivicEdge.Hardware.Tests;

/// <summary>The <c>hardware/profiles</c> directory of the source tree the tests were built from.</summary>
internal static class RepositoryProfiles
{
    public static string Directory { get; } =
        ProfileDirectory.FindAbove([TestContext.CurrentContext.TestDirectory])
        ?? throw new InvalidOperationException($"No hardware/profiles above {TestContext.CurrentContext.TestDirectory}.");
}
