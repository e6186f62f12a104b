using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>The profiles shipped in <c>hardware/profiles</c>, found above the test's directory.</summary>
internal static class RepositoryProfiles
{
    public static string Directory =>
        ProfileDirectory.FindAbove([AppContext.BaseDirectory]) ?? throw new DirectoryNotFoundException("hardware/profiles was not found above the test's directory.");

    public static DeviceProfile Get(string model) => ProfileLoader.LoadDirectory(Directory).Get(model);
}
