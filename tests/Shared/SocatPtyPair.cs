using System.ComponentModel;
using System.Diagnostics;

namespace CivicEdge.Testing;

/// <summary>
/// Two pseudo-terminals joined back to back by a real socat process, standing in for a serial cable: what is written
/// to one end comes out of the other. Both ends are symlinks in a private temporary directory.
/// </summary>
internal sealed class SocatPtyPair : IDisposable
{
    private readonly Process _socat;
    private readonly string _directory;

    private SocatPtyPair(Process socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    /// <summary>The end the code under test opens.</summary>
    public string DevicePath => Path.Combine(_directory, "device");

    /// <summary>The end the scripted peer opens.</summary>
    public string PeerPath => Path.Combine(_directory, "peer");

    /// <exception cref="InvalidOperationException">socat is not installed, or did not create the ptys.</exception>
    public static async Task<SocatPtyPair> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("civic-pty-").FullName;
        var start = new ProcessStartInfo("socat")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-d", "-d",
                     $"pty,raw,echo=0,link={Path.Combine(directory, "device")}",
                     $"pty,raw,echo=0,link={Path.Combine(directory, "peer")}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        Process socat;
        try
        {
            socat = Process.Start(start) ?? throw new InvalidOperationException("socat did not start.");
        }
        catch (Win32Exception e)
        {
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException("Serial tests need socat to join two ptys: install the Debian package socat (apt-get install socat).", e);
        }

        // Drain socat's diagnostics so that it never blocks on a full pipe.
        socat.BeginErrorReadLine();
        socat.BeginOutputReadLine();
        var pair = new SocatPtyPair(socat, directory);
        for (int wait = 0; wait < 500; wait++)
        {
            if (File.Exists(pair.DevicePath) && File.Exists(pair.PeerPath))
                return pair;
            if (socat.HasExited)
                break;
            await Task.Delay(10, cancellationToken);
        }

        pair.Dispose();
        throw new InvalidOperationException($"socat did not create the pty links in {directory} within 5 s.");
    }

    public void Dispose()
    {
        try
        {
            if (!_socat.HasExited)
            {
                _socat.Kill();
                _socat.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _socat.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp directory harms nobody.
        }
    }
}
