using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;

namespace CivicEdge.Benchmarks.Peers;

/// <summary>
/// A reference peer running as a real process: standard output read line by line, standard error kept for failure
/// messages, killed on disposal if it still runs.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];

    private PeerProcess(Process process) => _process = process;

    public string Errors
    {
        get
        {
            lock (_stderr)
                return string.Join('\n', _stderr);
        }
    }

    public int ExitCode => _process.ExitCode;

    public static PeerProcess Start(string fileName, params string[] args)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            startInfo.ArgumentList.Add(arg);

        var process = new Process { StartInfo = startInfo };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
                peer._stdout.Writer.TryComplete();
            else
                peer._stdout.Writer.TryWrite(line.Data);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (peer._stderr)
                    peer._stderr.Add(line.Data);
            }
        };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"Cannot start {fileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>The first line of standard output that starts with <paramref name="prefix"/>, or null if output ends first.</summary>
    public async Task<string?> FirstLineAsync(string prefix, CancellationToken cancellationToken)
    {
        await foreach (var line in _stdout.Reader.ReadAllAsync(cancellationToken))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return line;
        }

        return null;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing left to kill.
        }

        _process.Dispose();
    }
}
