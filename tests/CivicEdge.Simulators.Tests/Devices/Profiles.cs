using CivicEdge.Hardware;

namespace CivicEdge.Simulators.Tests.Devices;

/// <summary>Profiles for the tests: the repository's own, and small ones written inline.</summary>
internal static class Profiles
{
    public static DeviceProfile Sdm630 { get; } = ProfileLoader.LoadDirectory(Directory).Get("eastron-sdm630");

    public static string Directory =>
        ProfileDirectory.FindAbove([TestContext.CurrentContext.TestDirectory])
        ?? throw new InvalidOperationException($"No hardware/profiles above {TestContext.CurrentContext.TestDirectory}.");

    /// <summary>A profile whose points are given as YAML list items.</summary>
    public static DeviceProfile Inline(string points) => ProfileLoader.Parse(
        "schema: civicedge.profile/v1\nmodel: test-device\nmanufacturer: Test\nprotocol: modbus\npoints:\n" + points,
        "test-device.yaml");
}
