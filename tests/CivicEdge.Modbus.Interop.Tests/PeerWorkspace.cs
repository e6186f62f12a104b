namespace CivicEdge.Modbus.Interop.Tests;

/// <summary>
/// A temporary directory for the peers this test run builds, removed when the run ends. A set-up fixture in the root
/// namespace, so that its tear-down runs after every fixture of the assembly.
/// </summary>
[SetUpFixture]
public sealed class PeerWorkspace
{
    private static readonly Lazy<string> Root = new(() => Directory.CreateTempSubdirectory("civicedge-interop-").FullName);

    public static string Location => Root.Value;

    [OneTimeTearDown]
    public void RemoveWorkspace()
    {
        if (Root.IsValueCreated)
            Directory.Delete(Root.Value, recursive: true);
    }
}
