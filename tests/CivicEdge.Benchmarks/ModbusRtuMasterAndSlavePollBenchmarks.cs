using BenchmarkDotNet.Attributes;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using LineParity = CivicEdge.Transports.SerialParity;

namespace CivicEdge.Benchmarks;

/// <summary>
/// One Modbus RTU poll end to end on a pty pair at 115200 baud 8N1, our master reading 10 holding registers from our
/// slave in the same process, which paces its answer at the baud rate. Reports the time per poll and the bytes
/// allocated per poll by master and slave together in steady state.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModbusRtuMasterAndSlavePollBenchmarks
{
    private const int BaudRate = 115200;
    private const int PollsPerInvocation = 1000;

    private readonly ushort[] _destination = new ushort[10];
    private PtyPair _pty = null!;
    private ModbusRtuSlave _slave = null!;
    private ModbusRtuMaster _master = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _pty = await PtyPair.OpenAsync(CancellationToken.None);
        var bank = new RegisterBank();
        bank.Write(RegisterTable.HoldingRegisters, 0, [230, 231, 229, 10, 11, 12, 500, 600, 700, 50]);
        _slave = new ModbusRtuSlave(Line(_pty.Slave), new Dictionary<byte, RegisterBank> { [1] = bank });
        await _slave.StartAsync(CancellationToken.None);
        _master = ModbusRtuMaster.OverSerial(Line(_pty.Master), new ModbusRtuMasterOptions { BaudRate = BaudRate, Retries = 0 });
        var warm = await _master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, _destination, CancellationToken.None);
        if (!warm.IsOk)
            throw new InvalidOperationException($"The benchmark slave did not answer: {warm}.");
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _master.DisposeAsync();
        await _slave.DisposeAsync();
        await _pty.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = PollsPerInvocation, Description = "Modbus RTU poll, 10 holding registers, master and slave in one process, pty at 115200 baud")]
    // 1,000 polls per invocation in one loop, as in ModbusRtuPollBenchmarks.
    public async Task<ModbusOutcome> Poll()
    {
        var outcome = ModbusOutcome.Ok;
        for (var i = 0; i < PollsPerInvocation; i++)
            outcome = (await _master.ReadRegistersAsync(1, RegisterTable.HoldingRegisters, 0, _destination, CancellationToken.None)).Outcome;
        return outcome;
    }

    private static SerialChannelOptions Line(string path) =>
        new() { Path = path, BaudRate = BaudRate, Parity = LineParity.None, StopBits = 1, DataBits = 8 };
}
