namespace CivicEdge.Firmware.Host.Tests.Support;

/// <summary>
/// A program from Debian that a test runs as a real peer. A missing one fails the test with the package to install:
/// an interoperability test that quietly skips proves nothing. build.sh installs them for the Test target.
/// </summary>
internal static class DebianTool
{
    public const string Socat = "/usr/bin/socat";
    public const string Mbpoll = "/usr/bin/mbpoll";

    public static void Require(string path, string package)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            Assert.Fail($"This test needs {path} (Debian package {package}), which is not installed; install it with: apt-get install {package}");
    }
}
