using System.Globalization;
using BenchmarkDotNet.Attributes;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Benchmarks;

/// <summary>
/// One Modbus TCP poll of 10 holding registers by our master against the libmodbus server over loopback. The server
/// is C, so the bytes allocated per poll are the master's alone.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModbusTcpMasterAgainstLibmodbusBenchmarks
{
    private const int PollsPerInvocation = 1000;

    private readonly ushort[] _destination = new ushort[10];
    private LibmodbusBuild _build = null!;
    private PeerProcess _server = null!;
    private ModbusTcpMaster _master = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _build = new LibmodbusBuild();
        _server = PeerProcess.Start(await _build.CompileAsync("libmodbus_server", CancellationToken.None), "0");
        var ready = await _server.FirstLineAsync("READY ", CancellationToken.None)
            ?? throw new InvalidOperationException($"The libmodbus server exited before it listened:\n{_server.Errors}");
        var port = int.Parse(ready["READY ".Length..], CultureInfo.InvariantCulture);
        _master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port, Retries = 0 });
        var warm = await _master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, _destination, CancellationToken.None);
        if (!warm.IsOk)
            throw new InvalidOperationException($"The libmodbus server did not answer: {warm}.");
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _master.DisposeAsync();
        await _server.DisposeAsync();
        _build.Dispose();
    }

    [Benchmark(OperationsPerInvoke = PollsPerInvocation, Description = "Modbus TCP poll, 10 holding registers, ModbusTcpMaster against libmodbus server")]
    // 1,000 polls per invocation in one loop: what is measured is the steady state of a poller, not the harness's own
    // per-invocation task and wait, which would otherwise be reported as allocations of every poll.
    public async Task<ModbusOutcome> Poll()
    {
        var outcome = ModbusOutcome.Ok;
        for (var i = 0; i < PollsPerInvocation; i++)
            outcome = (await _master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, _destination, CancellationToken.None)).Outcome;
        return outcome;
    }
}
