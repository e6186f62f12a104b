namespace CivicEdge.Benchmarks.Peers;

/// <summary>
/// Compiles the libmodbus reference peers (Peers/*.c, copied beside the benchmark assembly) with gcc into a temporary
/// directory, removed on disposal. Fails with the Debian package to install when gcc or libmodbus-dev is missing.
/// </summary>
internal sealed class LibmodbusBuild : IDisposable
{
    private const string Gcc = "/usr/bin/gcc";
    private const string CHeader = "/usr/include/stdio.h";
    private const string LibmodbusHeader = "/usr/include/modbus/modbus.h";

    private readonly string _directory = Directory.CreateTempSubdirectory("civicedge-bench-").FullName;

    /// <summary>Builds Peers/<paramref name="name"/>.c and returns the executable's path.</summary>
    public async Task<string> CompileAsync(string name, CancellationToken cancellationToken)
    {
        if (!File.Exists(Gcc))
            throw new InvalidOperationException($"The benchmarks compile libmodbus peers with {Gcc}, which is missing: apt-get install gcc");
        if (!File.Exists(CHeader))
            throw new InvalidOperationException($"The benchmarks need the C library headers ({CHeader}), which are missing: apt-get install libc6-dev");
        if (!File.Exists(LibmodbusHeader))
            throw new InvalidOperationException($"The benchmarks need {LibmodbusHeader}, which is missing: apt-get install libmodbus-dev");

        var source = Path.Combine(AppContext.BaseDirectory, "Peers", name + ".c");
        var executable = Path.Combine(_directory, name);
        await using var gcc = PeerProcess.Start(Gcc, "-Wall", "-Wextra", "-Werror", "-O2", "-o", executable, source, "-lmodbus");
        await gcc.WaitForExitAsync(cancellationToken);
        if (gcc.ExitCode != 0)
            throw new InvalidOperationException($"gcc could not build {source}:\n{gcc.Errors}");
        return executable;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
