using System.Diagnostics;
using System.Globalization;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Benchmarks;

/// <summary>
/// Modbus TCP polls per second, reading 10 holding registers on one connection, one request at a time, from a
/// libmodbus server: our <see cref="ModbusTcpMaster"/> against the libmodbus client, in the same run, for the same
/// number of polls after the same number of warm-up polls (enough for the JIT to reach its optimized tier), in
/// alternating rounds so that a noisy neighbour on the machine hurts both alike.
/// </summary>
internal static class TcpPollComparison
{
    private const byte Unit = 1;
    private const int Registers = 10;
    private const int Rounds = 5;

    public static async Task<TcpPollFigures> RunAsync(LibmodbusBuild build, int polls, int warmup, CancellationToken cancellationToken)
    {
        var server = await build.CompileAsync("libmodbus_server", cancellationToken);
        var client = await build.CompileAsync("libmodbus_bench_client", cancellationToken);
        await using var libmodbusServer = PeerProcess.Start(server, "0");
        var ready = await libmodbusServer.FirstLineAsync("READY ", cancellationToken)
            ?? throw new InvalidOperationException($"The libmodbus server exited before it listened:\n{libmodbusServer.Errors}");
        var port = int.Parse(ready["READY ".Length..], CultureInfo.InvariantCulture);

        var theirs = new List<double>();
        var ours = new List<double>();
        for (var round = 1; round <= Rounds; round++)
        {
            // The libmodbus server serves one connection at a time, so each side connects, polls and hangs up in turn.
            theirs.Add(await LibmodbusClientRateAsync(client, port, polls, warmup, cancellationToken));
            ours.Add(await OurRateAsync(port, polls, warmup, cancellationToken));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Modbus TCP round {round}/{Rounds}: libmodbus client {theirs[^1]:F0} polls/s, ModbusTcpMaster {ours[^1]:F0} polls/s"));
        }

        return new TcpPollFigures(polls, Median(theirs), Median(ours));
    }

    private static async Task<double> LibmodbusClientRateAsync(string client, int port, int polls, int warmup, CancellationToken cancellationToken)
    {
        await using var run = PeerProcess.Start(client,
            "127.0.0.1", Invariant(port), Invariant(Unit), "0", Invariant(Registers), Invariant(warmup), Invariant(polls));
        var line = await run.FirstLineAsync("POLLS ", cancellationToken)
            ?? throw new InvalidOperationException($"The libmodbus client printed no figures:\n{run.Errors}");
        await run.WaitForExitAsync(cancellationToken);
        var fields = line.Split(' ');
        return double.Parse(fields[5], CultureInfo.InvariantCulture);
    }

    private static async Task<double> OurRateAsync(int port, int polls, int warmup, CancellationToken cancellationToken)
    {
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port, Retries = 0 });
        var registers = new ushort[Registers];
        for (var i = 0; i < warmup; i++)
            await PollAsync(master, registers, cancellationToken);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < polls; i++)
            await PollAsync(master, registers, cancellationToken);
        return polls / clock.Elapsed.TotalSeconds;
    }

    private static async Task PollAsync(ModbusTcpMaster master, ushort[] registers, CancellationToken cancellationToken)
    {
        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, cancellationToken);
        if (!result.IsOk)
            throw new InvalidOperationException($"A poll of the libmodbus server failed: {result}.");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
