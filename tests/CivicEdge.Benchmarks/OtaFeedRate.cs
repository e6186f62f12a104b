using System.Diagnostics;
using System.Globalization;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Host;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;
using CivicEdge.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Benchmarks;

/// <summary>
/// Feeds one image to one firmware host device over a pty pair with the gateway's <see cref="FieldDeviceUpdater"/>,
/// the whole way: manifest, Write File Record chunks of 240 bytes, the device's hash check, install, reboot and
/// confirmation. The device's end of the line is paced at the baud rate (8N1): before it answers, it waits for as long
/// as the request and its answer take on a real wire, so the pty behaves like a half-duplex RS-485 pair. Bytes on the
/// wire are counted at the device, both ways.
/// </summary>
internal static class OtaFeedRate
{
    private const byte Unit = 1;

    public static async Task<OtaFeedFigures> RunAsync(int baudRate, int imageBytes, CancellationToken cancellationToken)
    {
        var pty = await PtyPair.OpenAsync(cancellationToken);
        var factory = SimulatedFirmwareImage.Create("1.0.0", 1_000, seed: 1);
        var image = SimulatedFirmwareImage.Create("1.1.0", imageBytes, seed: 2);
        var line = new PacedLink(new SerialDeviceLink(pty.Slave, baudRate), baudRate);
        var device = new UpdatableFieldDevice(line, Unit, new NoRegisters(), new MemoryUpdateStorage(imageBytes, factory), new MemorySettingsStorage(), healthyAfterMilliseconds: 100);
        var master = CivicEdge.Modbus.ModbusRtuMaster.OverSerial(
            new SerialChannelOptions { Path = pty.Master, BaudRate = baudRate, Parity = CivicEdge.Transports.SerialParity.None },
            new ModbusRtuMasterOptions { BaudRate = baudRate, ResponseTimeout = TimeSpan.FromSeconds(1), Retries = 1 });
        var options = new FieldUpdateOptions { BusShare = 1, StatusInterval = TimeSpan.FromMilliseconds(100) };
        try
        {
            var updater = new FieldDeviceUpdater(master, Unit, new DirectBusLane(), options, TimeProvider.System, NullLogger<FieldDeviceUpdater>.Instance);
            var clock = Stopwatch.StartNew();
            var reports = new ProgressReports();
            var result = await updater.UpdateAsync(FieldUpdateImage.Of("1.1.0", image), reports, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.Phase != OtaPhase.Confirmed)
                throw new InvalidOperationException($"The update at {baudRate} baud ended {result.Phase}: {result.Reason}");
            var figures = new OtaFeedFigures(baudRate, imageBytes, seconds, line.WireBytes, result.Transactions);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"OTA over Modbus RTU {baudRate} 8N1: {imageBytes} bytes in {seconds:F1} s ({figures.SecondsPerMebibyte:F0} s per MiB), {figures.WireBytes} bytes on the wire ({figures.Efficiency:P1} image), {figures.WireSeconds:F1} s of it on the wire alone, {figures.Transactions} transactions, {reports.Downloading} progress reports"));
            return figures;
        }
        finally
        {
            await master.DisposeAsync();
            device.Dispose();
            await pty.DisposeAsync();
        }
    }

    /// <summary>The device's end of a pty paced like a wire: an answer goes out once the request and the answer would have crossed the line.</summary>
    private sealed class PacedLink(SerialDeviceLink line, int baudRate) : ISerialLink
    {
        private long _received;

        public long WireBytes { get; private set; }

        public int BaudRate => baudRate;

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            int read = line.Read(buffer, offset, count, timeoutMilliseconds);
            if (read > 0)
                _received += read;
            return read;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            var onTheWire = TimeSpan.FromSeconds((_received + count) * 10.0 / baudRate);
            WireBytes += _received + count;
            _received = 0;
            var until = Stopwatch.GetTimestamp() + (long)(onTheWire.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                var left = TimeSpan.FromSeconds((until - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                if (left > TimeSpan.FromMilliseconds(2))
                    Thread.Sleep(left - TimeSpan.FromMilliseconds(1));
            }

            line.Write(buffer, offset, count);
        }

        public void DiscardInput() => line.DiscardInput();
    }

    private sealed class NoRegisters : IModbusDataModel
    {
        public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into) => ModbusExceptionCode.IllegalDataAddress;

        public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into) => ModbusExceptionCode.IllegalDataAddress;

        public ModbusExceptionCode WriteCoil(int address, bool value) => ModbusExceptionCode.IllegalDataAddress;

        public ModbusExceptionCode WriteRegister(int address, ushort value) => ModbusExceptionCode.IllegalDataAddress;
    }

    /// <summary>Counts the relay's <c>downloading</c> reports: what a device's progress costs the uplink.</summary>
    private sealed class ProgressReports : IFieldUpdateReporter
    {
        public int Downloading { get; private set; }

        public ValueTask ReportAsync(OtaPhase phase, long? bytesReceived, string? runningVersion, string? reason, CancellationToken cancellationToken)
        {
            if (phase == OtaPhase.Downloading)
                Downloading++;
            return ValueTask.CompletedTask;
        }
    }
}
