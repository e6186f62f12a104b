using System.Diagnostics;

namespace CivicEdge.Firmware.Host.Tests.Support;

/// <summary>
/// Two pseudo-terminals joined by socat, standing in for an RS-485 pair: what one end writes the other reads. The
/// ends are symlinks in a temporary directory; socat is killed and the directory removed on disposal.
/// </summary>
internal sealed class PtyPair : IDisposable
{
    private readonly Process _socat;
    private readonly string _directory;

    private PtyPair(Process socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    /// <summary>The device's end.</summary>
    public string Device => Path.Combine(_directory, "device");

    /// <summary>The peer's end (a master, or a slave the device polls).</summary>
    public string Peer => Path.Combine(_directory, "peer");

    public static PtyPair Open()
    {
        DebianTool.Require(DebianTool.Socat, "socat");
        var directory = Directory.CreateTempSubdirectory("civicedge-fw-pty-").FullName;
        var start = new ProcessStartInfo(DebianTool.Socat)
        {
            ArgumentList =
            {
                $"pty,raw,echo=0,link={Path.Combine(directory, "device")}",
                $"pty,raw,echo=0,link={Path.Combine(directory, "peer")}",
            },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var pair = new PtyPair(Process.Start(start)!, directory);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(pair.Device) || !File.Exists(pair.Peer))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10) || pair._socat.HasExited)
            {
                pair.Dispose();
                Assert.Fail($"socat did not create the pty links in {directory}.");
            }

            Thread.Sleep(10);
        }

        return pair;
    }

    public void Dispose()
    {
        if (!_socat.HasExited)
            _socat.Kill();
        _socat.WaitForExit();
        _socat.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
