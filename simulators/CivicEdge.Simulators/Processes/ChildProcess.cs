using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace CivicEdge.Simulators.Processes;

/// <summary>
/// A real process started by a simulation or an end-to-end test: its output is captured line by line, it can be
/// waited on for a readiness line, and it is always stopped — SIGTERM first so it can shut down cleanly, then SIGKILL
/// of its whole tree after a grace period.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int Sigterm = 15;
    private const int KeptLines = 400;
    private const int MaxCapturedStandardOutput = 4 * 1024 * 1024;

    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly Lock _gate = new();
    private readonly List<Channel<string>> _listeners = [];
    private readonly Action<string>? _echo;
    private readonly System.Text.StringBuilder _standardOutput = new();
    private int _disposed;

    private ChildProcess(string name, Process process, Action<string>? echo)
    {
        Name = name;
        _process = process;
        _echo = echo;
    }

    /// <summary>A short name for messages, e.g. <c>fleet</c>.</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote to stdout and stderr, for diagnostics when something fails.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_gate)
                return string.Join(Environment.NewLine, _recent);
        }
    }

    /// <summary>Everything the process wrote to stdout (up to 4 MiB), e.g. the JSON a CLI call printed.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
                return _standardOutput.ToString();
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/>; a <c>.dll</c> is started through the <c>dotnet</c> host. <paramref name="echo"/>,
    /// when given, receives every output line prefixed with the name, e.g. to show it on a console.
    /// </summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        Action<string>? echo = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (!File.Exists(fileName))
            throw new FileNotFoundException($"Cannot start {name}: no executable at {fileName}. Build or publish first (./build.sh --target=Publish).", fileName);

        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info.FileName = fileName;
        }
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, echo);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, standardOutput: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Waits for the first output line (from now on, or already written) that satisfies <paramref name="match"/>.
    /// Fails with the process's recent output when it exits first or the timeout passes.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<string>();
        lock (_gate)
        {
            foreach (var line in _recent.Where(match))
                channel.Writer.TryWrite(line);
            _listeners.Add(channel);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var exited = _process.WaitForExitAsync(deadline.Token);
            while (true)
            {
                var next = channel.Reader.WaitToReadAsync(deadline.Token).AsTask();
                var first = await Task.WhenAny(next, exited);
                if (first == next && await next)
                {
                    while (channel.Reader.TryRead(out var line))
                    {
                        if (match(line))
                            return line;
                    }
                    continue;
                }
                if (first == exited && _process.HasExited)
                {
                    await Task.Delay(100, CancellationToken.None); // let the last output lines arrive
                    while (channel.Reader.TryRead(out var line))
                    {
                        if (match(line))
                            return line;
                    }
                    throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready. Its output:{Environment.NewLine}{RecentOutput}");
                }
                await first; // surfaces cancellation
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not print the expected line within {timeout.TotalSeconds:0.#} s. Its output:{Environment.NewLine}{RecentOutput}");
        }
        finally
        {
            lock (_gate)
                _listeners.Remove(channel);
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and kills its whole tree if it has not exited after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
            return;
        if (OperatingSystem.IsWindows() || Kill(_process.Id, Sigterm) != 0)
        {
            _process.Kill(entireProcessTree: true);
        }
        else
        {
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    /// <summary>Waits for a process that ends by itself (a CLI call) and returns its exit code; kills it after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0.#} s. Its output:{Environment.NewLine}{RecentOutput}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL), as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            await StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line, bool standardOutput)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            if (standardOutput && _standardOutput.Length < MaxCapturedStandardOutput)
                _standardOutput.AppendLine(line);
            _recent.Enqueue(line);
            if (_recent.Count > KeptLines)
                _recent.Dequeue();
            foreach (var listener in _listeners)
                listener.Writer.TryWrite(line);
        }
        _echo?.Invoke($"[{Name}] {line}");
    }

    // POSIX kill(2): .NET's Process.Kill only sends SIGKILL, which gives the child no chance to shut down cleanly.
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
