using BenchmarkDotNet.Attributes;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using LineParity = CivicEdge.Transports.SerialParity;

namespace CivicEdge.Benchmarks;

/// <summary>
/// Our Modbus RTU master polling in steady state on a pty pair at 115200 baud 8N1: 10 input registers per poll from
/// civicsim, which runs in a process of its own and paces its answers at the baud rate. Reports the time per poll and
/// the bytes our master allocates per poll, which is what the target "zero allocations per poll" is about.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModbusRtuPollBenchmarks
{
    private const int BaudRate = 115200;
    private const int PollsPerInvocation = 1000;

    private readonly ushort[] _destination = new ushort[10];
    private PtyPair _pty = null!;
    private CivicsimRtuSlave _slave = null!;
    private ModbusRtuMaster _master = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _pty = await PtyPair.OpenAsync(CancellationToken.None);
        _slave = await CivicsimRtuSlave.StartAsync(_pty.Slave, BaudRate, CancellationToken.None);
        _master = ModbusRtuMaster.OverSerial(
            new SerialChannelOptions { Path = _pty.Master, BaudRate = BaudRate, Parity = LineParity.None, StopBits = 1, DataBits = 8 },
            new ModbusRtuMasterOptions { BaudRate = BaudRate, Retries = 0 });
        var warm = await _master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 0, _destination, CancellationToken.None);
        if (!warm.IsOk)
            throw new InvalidOperationException($"civicsim did not answer: {warm}.");
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _master.DisposeAsync();
        await _slave.DisposeAsync();
        await _pty.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = PollsPerInvocation, Description = "Modbus RTU poll, 10 input registers, ModbusRtuMaster against civicsim, pty at 115200 baud")]
    // 1,000 polls per invocation in one loop: what is measured is the steady state of a poller, not the harness's own
    // per-invocation task and wait, which would otherwise be reported as allocations of every poll.
    public async Task<ModbusOutcome> Poll()
    {
        var outcome = ModbusOutcome.Ok;
        for (var i = 0; i < PollsPerInvocation; i++)
            outcome = (await _master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 0, _destination, CancellationToken.None)).Outcome;
        return outcome;
    }
}
