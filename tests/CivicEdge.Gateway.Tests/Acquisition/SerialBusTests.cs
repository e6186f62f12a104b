using System.Threading.Channels;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging.Abstractions;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

/// <summary>The scheduler with the real RTU master on one end of a pty pair and our RTU slave on the other.</summary>
[Category("Integration")]
public sealed class SerialBusTests
{
    [Test]
    public async Task Devices_on_an_rtu_bus_are_read_through_the_serial_master_while_a_silent_unit_is_backed_off()
    {
        await using var pty = await SocatPtyPair.OpenAsync();
        var lamp = new RegisterBank();
        lamp.Write(RegisterTable.InputRegisters, 0, [2301]);
        lamp.WriteBits(RegisterTable.Coils, 0, [true]);
        var sensor = new RegisterBank();
        sensor.Write(RegisterTable.HoldingRegisters, 0x01F9, [unchecked((ushort)(short)-52)]);
        var line = new SerialChannelOptions { Path = pty.Slaves, BaudRate = 115200, Parity = CivicEdge.Transports.SerialParity.None };
        await using var slave = new ModbusRtuSlave(line, new Dictionary<byte, RegisterBank> { [1] = lamp, [2] = sensor });
        using var stop = new CancellationTokenSource();
        await slave.StartAsync(stop.Token);

        var link = new ModbusLink("rs485-1", BusKind.Rtu, null, new SerialLine(pty.Master, 115200, 'N', 8, 1), TimeSpan.FromMilliseconds(500));
        await using var master = new ModbusMasterFactory(TimeProvider.System, NullLoggerFactory.Instance).Create(link);
        var interval = TimeSpan.FromMilliseconds(100);
        var lampPoller = Device("lamp-1", 1, master, interval, Point("voltage", 0, scale: 0.1), Point("relay", 0, table: RegisterTable.Coils, unit: "1"));
        var sensorPoller = Device("env-1", 2, master, interval, Point("temperature", 0x01F9, RegisterDataType.Int16, RegisterTable.HoldingRegisters, scale: 0.1, unit: "Cel"));
        var silentPoller = Device("gone-1", 3, master, interval, Point("voltage", 0));
        var readings = Channel.CreateUnbounded<DeviceReading>();
        var events = Channel.CreateUnbounded<DeviceEvent>();
        var running = new BusScheduler(link, [lampPoller, sensorPoller, silentPoller], TimeProvider.System, NullLogger<BusScheduler>.Instance)
            .RunAsync(readings.Writer, events.Writer, stop.Token);

        try
        {
            await Wait.UntilAsync(() => lampPoller.Counters.Responses >= 5 && sensorPoller.Counters.Responses >= 5 && silentPoller.Polls >= 2, "a few polls of every device");
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Wait.Limit);
        }

        var values = new Dictionary<string, double>();
        while (readings.Reader.TryRead(out var reading))
        {
            foreach (var point in reading.Points)
                values[$"{reading.DeviceId}.{point.Name}"] = point.Value;
        }
        Assert.That(values.GetValueOrDefault("lamp-1.voltage"), Is.EqualTo(230.1).Within(1e-9));
        Assert.That(values.GetValueOrDefault("lamp-1.relay"), Is.EqualTo(1.0));
        Assert.That(values.GetValueOrDefault("env-1.temperature"), Is.EqualTo(-5.2).Within(1e-9));
        Assert.That(values.Keys, Has.None.StartsWith("gone-1."), "a device never read has no value to report");
        Assert.That(events.Reader.TryRead(out var lost) ? (lost.DeviceId, lost.Code, lost.State) : default,
            Is.EqualTo(("gone-1", AlarmMonitor.CommLostCode, CivicEdge.Fleet.Contracts.EventState.Raised)));
        Assert.That(events.Reader.TryRead(out _), Is.False, "raised once, however many polls go unanswered");
        Assert.That(new[] { lampPoller, sensorPoller }.Select(p => p.Counters.Responses), Has.All.GreaterThanOrEqualTo(5));
        Assert.That((silentPoller.Healthy, silentPoller.Counters.Responses), Is.EqualTo((false, 0L)));
        Assert.That(silentPoller.Polls, Is.LessThan(lampPoller.Polls), "the silent unit is backed off");
    }

    private static DevicePoller Device(string id, byte unit, IModbusMaster master, TimeSpan interval, params CivicEdge.Hardware.PointDefinition[] points) =>
        new(id, Profile(interval, points), unit, interval, master, TimeProvider.System, NullLogger<DevicePoller>.Instance);
}
