namespace CivicEdge.Benchmarks.Peers;

/// <summary>
/// Two pseudo-terminals joined by socat, standing in for a serial line: what one end writes the other reads.
/// The ends are symlinks in a temporary directory; socat is killed and the directory removed on disposal.
/// </summary>
internal sealed class PtyPair : IAsyncDisposable
{
    private const string Socat = "/usr/bin/socat";

    private readonly PeerProcess _socat;
    private readonly string _directory;

    private PtyPair(PeerProcess socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    public string Master => Path.Combine(_directory, "master");

    public string Slave => Path.Combine(_directory, "slave");

    public static async Task<PtyPair> OpenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Socat))
            throw new InvalidOperationException($"The serial benchmarks join two ptys with {Socat}, which is missing: apt-get install socat");
        var directory = Directory.CreateTempSubdirectory("civicedge-bench-pty-").FullName;
        var socat = PeerProcess.Start(Socat,
            $"pty,raw,echo=0,link={Path.Combine(directory, "master")}",
            $"pty,raw,echo=0,link={Path.Combine(directory, "slave")}");
        var pair = new PtyPair(socat, directory);
        try
        {
            // socat creates both links before it starts shuttling bytes.
            while (!File.Exists(pair.Master) || !File.Exists(pair.Slave))
                await Task.Delay(10, cancellationToken);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
