using System.Globalization;

namespace CivicEdge.Benchmarks.Peers;

/// <summary>
/// civicsim serving a simulated Eastron SDM630 as unit 1 on one end of a pty, in a process of its own, answering at the
/// pace of the baud rate: a slave whose allocations are not counted with the master's. It is the civicsim this
/// repository builds (the benchmark project references its project so that building the benchmarks builds it), killed
/// on disposal.
/// </summary>
internal sealed class CivicsimRtuSlave : IAsyncDisposable
{
    private const string ReadyPrefix = "civicsim ready ";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly PeerProcess _process;

    private CivicsimRtuSlave(PeerProcess process) => _process = process;

    /// <summary>Starts civicsim on <paramref name="path"/> at <paramref name="baudRate"/> 8N1 and returns once it serves.</summary>
    public static async Task<CivicsimRtuSlave> StartAsync(string path, int baudRate, CancellationToken cancellationToken)
    {
        var process = PeerProcess.Start("dotnet", Assembly(),
            "modbus", "--rtu", path, "--baud", baudRate.ToString(CultureInfo.InvariantCulture), "--parity", "N",
            "--profile", "eastron-sdm630", "--unit", "1");
        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(Patience);
            if (await process.FirstLineAsync(ReadyPrefix, patience.Token) is null)
                throw new InvalidOperationException($"civicsim exited before it served {path}:\n{process.Errors}");
            return new CivicsimRtuSlave(process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string Assembly() => BuiltAssembly.Find("CivicEdge.Simulators.Host", "civicsim");
}
