namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// An independent Modbus implementation installed from Debian. A missing one fails the test with the package to
/// install: an interoperability test that quietly skips proves nothing.
/// </summary>
internal sealed record DebianPeer(string Path, string Package)
{
    public static readonly DebianPeer Socat = new("/usr/bin/socat", "socat");
    public static readonly DebianPeer Mbpoll = new("/usr/bin/mbpoll", "mbpoll");
    public static readonly DebianPeer Gcc = new("/usr/bin/gcc", "gcc");

    /// <summary>gcc only recommends the C library headers, so an install without recommends lacks them.</summary>
    public static readonly DebianPeer CHeaders = new("/usr/include/stdio.h", "libc6-dev");
    public static readonly DebianPeer LibmodbusHeaders = new("/usr/include/modbus/modbus.h", "libmodbus-dev");

    /// <summary>Debian's Python modules belong to /usr/bin/python3, not to whichever python3 comes first on PATH.</summary>
    public static readonly DebianPeer Python = new("/usr/bin/python3", "python3");

    public static readonly DebianPeer Pymodbus = new("/usr/lib/python3/dist-packages/pymodbus", "python3-pymodbus");

    /// <summary>pymodbus only recommends it, but its serial server cannot open a port without it.</summary>
    public static readonly DebianPeer SerialAsyncio = new("/usr/lib/python3/dist-packages/serial_asyncio", "python3-serial-asyncio");

    /// <summary>Fails the current test unless every peer is installed, naming the packages that are not.</summary>
    public static void Require(params DebianPeer[] peers)
    {
        var missing = peers.Where(peer => !File.Exists(peer.Path) && !Directory.Exists(peer.Path)).ToList();
        if (missing.Count > 0)
        {
            Assert.Fail(
                $"This interoperability test needs {string.Join(", ", missing.Select(peer => $"{peer.Path} (Debian package {peer.Package})"))}, " +
                $"which is not installed; install it with: apt-get install {string.Join(' ', missing.Select(peer => peer.Package))}");
        }
    }
}
