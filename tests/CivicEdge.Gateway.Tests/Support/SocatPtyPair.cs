using System.Diagnostics;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// Two pseudo-terminals joined by socat, standing in for an RS-485 line: what one end writes the other reads. The
/// ends are symlinks in a temporary directory; socat is killed and the directory removed on disposal.
/// </summary>
internal sealed class SocatPtyPair : IAsyncDisposable
{
    private const string Socat = "/usr/bin/socat";

    private readonly Process _socat;
    private readonly string _directory;

    private SocatPtyPair(Process socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    /// <summary>The master's end.</summary>
    public string Master => Path.Combine(_directory, "master");

    /// <summary>The slaves' end.</summary>
    public string Slaves => Path.Combine(_directory, "slaves");

    public static async Task<SocatPtyPair> OpenAsync()
    {
        if (!File.Exists(Socat))
            Assert.Fail($"{Socat} is missing; install the Debian package socat (apt-get install socat) to run the serial bus tests.");

        var directory = Directory.CreateTempSubdirectory("civicedge-bus-").FullName;
        var start = new ProcessStartInfo(Socat)
        {
            ArgumentList =
            {
                $"pty,raw,echo=0,link={Path.Combine(directory, "master")}",
                $"pty,raw,echo=0,link={Path.Combine(directory, "slaves")}",
            },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var pair = new SocatPtyPair(Process.Start(start)!, directory);
        var deadline = DateTime.UtcNow + Wait.Limit;
        while (!File.Exists(pair.Master) || !File.Exists(pair.Slaves))
        {
            if (DateTime.UtcNow > deadline || pair._socat.HasExited)
            {
                await pair.DisposeAsync();
                Assert.Fail($"socat did not create the pty links in {directory}.");
            }
            await Task.Delay(10);
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_socat.HasExited)
            _socat.Kill();
        await _socat.WaitForExitAsync();
        _socat.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
