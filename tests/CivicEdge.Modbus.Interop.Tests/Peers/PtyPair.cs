namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// Two pseudo-terminals joined by socat, standing in for an RS-485 pair: what one side writes the other reads.
/// The ends are symlinks in a temporary directory; socat is killed and the directory removed on disposal.
/// </summary>
internal sealed class PtyPair : IAsyncDisposable
{
    private readonly PeerProcess _socat;
    private readonly string _directory;

    private PtyPair(PeerProcess socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    /// <summary>The end our side opens.</summary>
    public string Ours => Path.Combine(_directory, "ours");

    /// <summary>The end the independent peer opens.</summary>
    public string Theirs => Path.Combine(_directory, "theirs");

    public static async Task<PtyPair> OpenAsync(CancellationToken cancellationToken)
    {
        DebianPeer.Require(DebianPeer.Socat);
        var directory = Directory.CreateTempSubdirectory("civicedge-pty-").FullName;
        var socat = PeerProcess.Start(DebianPeer.Socat.Path,
        [
            "-d", "-d",
            $"pty,raw,echo=0,link={Path.Combine(directory, "ours")}",
            $"pty,raw,echo=0,link={Path.Combine(directory, "theirs")}",
        ]);
        var pair = new PtyPair(socat, directory);
        try
        {
            // socat creates both links before it starts shuttling bytes; until then a peer would open nothing.
            while (!File.Exists(pair.Ours) || !File.Exists(pair.Theirs))
                await Task.Delay(10, cancellationToken);
            return pair;
        }
        catch (OperationCanceledException)
        {
            var transcript = socat.Transcript;
            await pair.DisposeAsync();
            throw new InvalidOperationException($"socat did not create the pty links in {directory}.\n{transcript}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
