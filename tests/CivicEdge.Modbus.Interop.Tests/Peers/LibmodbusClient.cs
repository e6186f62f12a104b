namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// A small master built on libmodbus (Peers/libmodbus_client.c), compiled with gcc once per test run. Each call runs it
/// as a process for one transaction and returns its one-line answer: <c>OK v1 v2 …</c>, <c>EXCEPTION n</c> or
/// <c>ERROR reason</c>.
/// </summary>
internal static class LibmodbusClient
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? _executable;

    public static Task<string> ReadHoldingOverTcpAsync(int port, byte unit, ushort address, int count, CancellationToken cancellationToken) =>
        RunAsync(["tcp", "127.0.0.1", Invariant(port), Invariant(unit), "read-holding", Invariant(address), Invariant(count)], cancellationToken);

    public static Task<string> ReadInputOverTcpAsync(int port, byte unit, ushort address, int count, CancellationToken cancellationToken) =>
        RunAsync(["tcp", "127.0.0.1", Invariant(port), Invariant(unit), "read-input", Invariant(address), Invariant(count)], cancellationToken);

    public static Task<string> WriteOverTcpAsync(int port, byte unit, ushort address, ushort[] values, CancellationToken cancellationToken) =>
        RunAsync(["tcp", "127.0.0.1", Invariant(port), Invariant(unit), "write", Invariant(address), .. values.Select(v => Invariant(v))], cancellationToken);

    /// <summary>Sends a PDU as given (hex bytes) and returns <c>PDU</c> and the response PDU in hex.</summary>
    public static Task<string> SendPduOverTcpAsync(int port, byte unit, string pduHex, CancellationToken cancellationToken) =>
        RunAsync(["tcp", "127.0.0.1", Invariant(port), Invariant(unit), "raw", .. pduHex.Split(' ')], cancellationToken);

    public static Task<string> SendPduOverRtuAsync(string path, int baud, byte unit, string pduHex, CancellationToken cancellationToken) =>
        RunAsync(["rtu", path, Invariant(baud), Invariant(unit), "raw", .. pduHex.Split(' ')], cancellationToken);

    public static Task<string> ReadHoldingOverRtuAsync(string path, int baud, byte unit, ushort address, int count, CancellationToken cancellationToken) =>
        RunAsync(["rtu", path, Invariant(baud), Invariant(unit), "read-holding", Invariant(address), Invariant(count)], cancellationToken);

    public static Task<string> WriteOverRtuAsync(string path, int baud, byte unit, ushort address, ushort[] values, CancellationToken cancellationToken) =>
        RunAsync(["rtu", path, Invariant(baud), Invariant(unit), "write", Invariant(address), .. values.Select(v => Invariant(v))], cancellationToken);

    private static async Task<string> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var executable = await BuildAsync(cancellationToken);
        var run = await PeerProcess.RunAsync(executable, args, cancellationToken);
        var answer = run.Output.Split('\n').LastOrDefault(line => line.Length > 0);
        return answer ?? throw new InvalidOperationException($"The libmodbus client printed no answer.\n{run.Transcript}");
    }

    private static async Task<string> BuildAsync(CancellationToken cancellationToken)
    {
        await BuildGate.WaitAsync(cancellationToken);
        try
        {
            if (_executable is not null)
                return _executable;
            DebianPeer.Require(DebianPeer.Gcc, DebianPeer.CHeaders, DebianPeer.LibmodbusHeaders);
            var source = Path.Combine(AppContext.BaseDirectory, "Peers", "libmodbus_client.c");
            var executable = Path.Combine(PeerWorkspace.Location, "libmodbus_client");
            var build = await PeerProcess.RunAsync(DebianPeer.Gcc.Path,
                ["-Wall", "-Wextra", "-Werror", "-O2", "-o", executable, source, "-lmodbus"], cancellationToken);
            if (build.ExitCode != 0)
                throw new InvalidOperationException($"gcc could not build the libmodbus client (is libmodbus-dev installed?).\n{build.Transcript}");
            _executable = executable;
            return executable;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
