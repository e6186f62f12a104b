using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;

namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// A peer running as a real process: standard output is read line by line, standard error is kept for failure
/// messages, standard input stays open (a peer may treat its closing as "stop"), and disposal kills the process if it
/// still runs.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly List<string> _stdoutSeen = [];
    private readonly List<string> _stderr = [];

    private PeerProcess(Process process) => _process = process;

    public string CommandLine => $"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}";

    /// <summary>Everything the process wrote so far, for a failure message that shows what the peer said.</summary>
    public string Transcript
    {
        get
        {
            lock (_stderr)
                return $"{CommandLine}\nstdout:\n{string.Join('\n', _stdoutSeen)}\nstderr:\n{string.Join('\n', _stderr)}";
        }
    }

    public static PeerProcess Start(string fileName, IEnumerable<string> args, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var arg in args)
            startInfo.ArgumentList.Add(arg);

        var process = new Process { StartInfo = startInfo };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                peer._stdout.Writer.TryComplete();
                return;
            }

            lock (peer._stderr)
                peer._stdoutSeen.Add(line.Data);
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

    /// <summary>Runs a command to its end and returns its exit code and what it printed.</summary>
    public static async Task<PeerRun> RunAsync(
        string fileName, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        await using var peer = Start(fileName, args);
        peer._process.StandardInput.Close();
        var lines = new List<string>();
        await foreach (var line in peer._stdout.Reader.ReadAllAsync(cancellationToken))
            lines.Add(line);
        await peer._process.WaitForExitAsync(cancellationToken);
        string errors;
        lock (peer._stderr)
            errors = string.Join('\n', peer._stderr);
        return new PeerRun(peer._process.ExitCode, string.Join('\n', lines), errors, peer.Transcript);
    }

    /// <summary>The first line of standard output that satisfies <paramref name="match"/>, or null if output ends first.</summary>
    public async Task<string?> FirstLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        await foreach (var line in _stdout.Reader.ReadAllAsync(cancellationToken))
        {
            if (match(line))
                return line;
        }

        return null;
    }

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
            // The process was never started or has already been reaped: nothing left to kill.
        }

        _process.Dispose();
    }
}
