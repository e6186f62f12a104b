namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// pymodbus serving unit 1 as a real process (Peers/pymodbus_server.py): holding registers 0..9 hold 100..109,
/// input registers 0..9 hold 200..209, and every address from 10 on is unmapped.
/// </summary>
internal sealed class PymodbusServer : IAsyncDisposable
{
    public const byte Unit = 1;
    public const int MappedRegisters = 10;
    public const ushort FirstHoldingValue = 100;
    public const ushort FirstInputValue = 200;

    private readonly PeerProcess _process;

    private PymodbusServer(PeerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The TCP port it listens on (0 when it serves a serial line).</summary>
    public int Port { get; }

    public string Transcript => _process.Transcript;

    /// <summary>
    /// Starts pymodbus on <paramref name="link"/>: on loopback with an OS-chosen port for the TCP links, on the serial
    /// device <paramref name="serialPath"/> for RTU.
    /// </summary>
    public static async Task<PymodbusServer> StartAsync(PymodbusLink link, string? serialPath, CancellationToken cancellationToken)
    {
        DebianPeer.Require(DebianPeer.Python, DebianPeer.Pymodbus, DebianPeer.SerialAsyncio);
        var (mode, where) = link switch
        {
            PymodbusLink.Tcp => ("tcp", "127.0.0.1"),
            PymodbusLink.RtuOverTcp => ("rtu-over-tcp", "127.0.0.1"),
            _ => ("rtu", serialPath ?? throw new ArgumentNullException(nameof(serialPath), "RTU needs the serial device to serve.")),
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_server.py");
        var process = PeerProcess.Start(DebianPeer.Python.Path, [script, mode, where]);
        try
        {
            var ready = await process.FirstLineAsync(line => line.StartsWith("READY ", StringComparison.Ordinal), cancellationToken);
            if (ready is null)
                throw new InvalidOperationException($"pymodbus exited before it was ready.\n{process.Transcript}");
            var fields = ready.Split(' ');
            return new PymodbusServer(process, link == PymodbusLink.Rtu ? 0 : int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
