using System.Diagnostics;
using System.Threading.Channels;

namespace CivicEdge.Fleet.Server.Tests;

/// <summary>
/// <c>civicedge-fleet</c> as a real process, the way scripts and the demo run it: standard output and error are read
/// line by line; the process is killed on disposal if it still runs.
/// </summary>
internal sealed class FleetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];

    private FleetProcess(Process process) => _process = process;

    public string StandardError
    {
        get
        {
            lock (_stderr)
                return string.Join('\n', _stderr);
        }
    }

    public static FleetProcess Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string>(), args);

    public static FleetProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "civicedge-fleet.dll"));
        foreach (var arg in args)
            startInfo.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            startInfo.Environment[name] = value;

        var process = new Process { StartInfo = startInfo };
        var fleet = new FleetProcess(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
                fleet._stdout.Writer.TryComplete();
            else
                fleet._stdout.Writer.TryWrite(line.Data);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (fleet._stderr)
                    fleet._stderr.Add(line.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return fleet;
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

    /// <summary>Everything written to standard output until the process closed it.</summary>
    public async Task<string> AllOutputAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await foreach (var line in _stdout.Reader.ReadAllAsync(cancellationToken))
            lines.Add(line);
        return string.Join('\n', lines);
    }

    public async Task<int> ExitCodeAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
