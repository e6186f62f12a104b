using System.Diagnostics;
using System.Globalization;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using LineParity = CivicEdge.Transports.SerialParity;
using WireParity = CivicEdge.Protocols.Modbus.SerialParity;

namespace CivicEdge.Benchmarks;

/// <summary>
/// Modbus RTU polls per second on a pty pair, where our <see cref="ModbusRtuSlave"/> paces its answers at the baud
/// rate so that the pty behaves like a wire, read by our <see cref="ModbusRtuMaster"/>: 10 holding registers per poll
/// (request 8 bytes, response 25 bytes), 8N1, as a share of the line's theoretical maximum, which counts the bytes on the
/// wire and the t3.5 silence before each frame (24.0/s at 9600 baud).
/// </summary>
internal static class RtuPollShare
{
    private const byte Unit = 1;
    private const int Registers = 10;
    private const int RequestLength = 8;
    private const int ResponseLength = 5 + 2 * Registers;

    public static async Task<RtuPollFigures> RunAsync(int baudRate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var theoretical = ModbusSilentInterval.For(baudRate, WireParity.None, 1, 8).MaxTransactionsPerSecond(RequestLength, ResponseLength);
        var pty = await PtyPair.OpenAsync(cancellationToken);
        var bank = new RegisterBank();
        bank.Write(RegisterTable.HoldingRegisters, 0, [230, 231, 229, 10, 11, 12, 500, 600, 700, 50]);
        var slave = new ModbusRtuSlave(Line(pty.Slave, baudRate), new Dictionary<byte, RegisterBank> { [Unit] = bank });
        var master = ModbusRtuMaster.OverSerial(
            Line(pty.Master, baudRate), new ModbusRtuMasterOptions { BaudRate = baudRate, ResponseTimeout = TimeSpan.FromSeconds(1), Retries = 0 });
        try
        {
            await slave.StartAsync(cancellationToken);
            var registers = new ushort[Registers];
            for (var i = 0; i < 5; i++)
                await PollAsync(master, registers, cancellationToken);

            // A fixed number of polls sized to the duration, so that the figure is polls over the time they took.
            var polls = Math.Max(10, (int)(theoretical * duration.TotalSeconds));
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < polls; i++)
                await PollAsync(master, registers, cancellationToken);
            var perSecond = polls / clock.Elapsed.TotalSeconds;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Modbus RTU {baudRate} 8N1 on a pty: {polls} polls, {perSecond:F1} polls/s of {theoretical:F1} theoretical ({perSecond / theoretical:P1})"));
            return new RtuPollFigures(baudRate, polls, perSecond, theoretical);
        }
        finally
        {
            await master.DisposeAsync();
            await slave.DisposeAsync();
            await pty.DisposeAsync();
        }
    }

    private static SerialChannelOptions Line(string path, int baudRate) =>
        new() { Path = path, BaudRate = baudRate, Parity = LineParity.None, StopBits = 1, DataBits = 8 };

    private static async Task PollAsync(ModbusRtuMaster master, ushort[] registers, CancellationToken cancellationToken)
    {
        var result = await master.ReadRegistersAsync(Unit, RegisterTable.HoldingRegisters, 0, registers, cancellationToken);
        if (!result.IsOk)
            throw new InvalidOperationException($"An RTU poll failed on {master.Endpoint}: {result}.");
    }
}
