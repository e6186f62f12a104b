using System.Threading.Channels;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.Dlt645;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Acquisition;

/// <summary>A meter line configured like any bus: the acquisition service opens it, polls its meters in turn and hands on readings.</summary>
[Category("Unit")]
public sealed class MeterLineAcquisitionTests
{
    private static readonly MeterAddress First = MeterAddress.Parse("000000000001", 6);
    private static readonly MeterAddress Second = MeterAddress.Parse("000000000002", 6);

    [Test]
    public async Task Two_meters_on_a_dlt645_line_are_polled_in_turn_and_their_readings_reach_the_outbox_channel()
    {
        var active = 0;
        var overlapped = false;
        using var channel = new ScriptedMeterChannel(request =>
        {
            overlapped |= Interlocked.Increment(ref active) > 1;
            try
            {
                return [Answer(request)];
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        });
        var readings = Channel.CreateUnbounded<DeviceReading>();
        var profiles = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);
        var options = new DevicesOptions
        {
            Buses = { new BusOptions { Id = "power", Kind = "dlt645", Path = "/dev/ttyUSB9", ResponseTimeout = TimeSpan.FromMilliseconds(200) } },
            Devices =
            {
                new DeviceOptions { Id = "mtr-1", Profile = "dlt645-2007-meter", Bus = "power", Address = First.Digits, PollInterval = TimeSpan.FromMinutes(1) },
                new DeviceOptions { Id = "mtr-2", Profile = "dlt645-1997-meter", Bus = "power", Address = Second.Digits, PollInterval = TimeSpan.FromMinutes(1) },
            },
        };
        var failures = new List<string>();
        var configuration = DeviceConfiguration.TryCreate(options, profiles, failures);
        Assert.That(failures, Is.Empty);
        await using var service = new AcquisitionService(
            new FakeModbusMasterFactory(), new ScriptedMeterBuses(channel), readings.Writer, Channel.CreateUnbounded<DeviceEvent>().Writer,
            new InMemoryAlarmStateStore(), TimeProvider.System, new NoLifetime(), NullLoggerFactory.Instance);

        await service.ApplyAsync(configuration!, CancellationToken.None);
        var received = new List<DeviceReading>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // Each meter's first poll gives a telemetry reading and a billing one.
        while (received.Count(r => r.Stream == "billing") < 2 || received.Count(r => r.Stream != "billing") < 2)
            received.Add(await readings.Reader.ReadAsync(timeout.Token));
        await service.StopAsync(CancellationToken.None);

        var points = received.SelectMany(r => r.Points.Select(p => (r.DeviceId, p.Name, Math.Round(p.Value, 9), p.Unit))).ToList();
        Assert.That(points, Does.Contain(("mtr-1", "forward_active_energy", 1000.01, "kWh")));
        Assert.That(points, Does.Contain(("mtr-1", "voltage_a", 230.5, "V")));
        Assert.That(points, Does.Contain(("mtr-2", "forward_active_energy", 20.02, "kWh")), "a 1997 meter on the same line, read with 2-byte identifiers");
        Assert.That(received.Where(r => r.Points.Any(p => p.Name == "forward_active_energy")).Select(r => r.Stream), Has.All.EqualTo("billing"));
        Assert.That(overlapped, Is.False, "one transaction at a time on the line");
        Assert.That(service.Snapshot().Select(c => (c.DeviceId, c.BusId)), Is.EquivalentTo(new[] { ("mtr-1", "power"), ("mtr-2", "power") }));
    }

    private static byte[] Answer(byte[] request)
    {
        var frame = Dlt645Framer.Decode(request);
        var version = frame.Control.Function == Dlt645Function.ReadData ? Dlt645Version.V2007 : Dlt645Version.V1997;
        Dlt645Request.TryDecodeReadData(frame, request, version, out var identifier, out _);
        var found = version == Dlt645Version.V2007 ? Dlt645DataCatalog.TryFind2007(identifier, out var item) : Dlt645DataCatalog.TryFind1997((ushort)identifier, out item);
        var value = (identifier, version) switch
        {
            (0x00010000, _) => 1000.01m,
            (0x9010, _) => 20.02m,
            (_, _) when item!.Unit == "V" => 230.5m,
            _ => 1m,
        };
        var bytes = new byte[item!.Length];
        item.Encode(value, bytes);
        var buffer = new byte[64];
        Assert.That(found, Is.True);
        return buffer[..Dlt645Reply.EncodeData(buffer, frame.Address, version, identifier, bytes)];
    }

    private sealed class ScriptedMeterBuses(ScriptedMeterChannel channel) : IMeterBusFactory
    {
        public MeterBus Create(ModbusLink link) => new(link, new Unowned(channel), TimeProvider.System, NullLoggerFactory.Instance);

        /// <summary>The test disposes the channel; the bus must not.</summary>
        private sealed class Unowned(ScriptedMeterChannel inner) : CivicEdge.Transports.IByteChannel
        {
            public string Name => inner.Name;

            public bool IsOpen => inner.IsOpen;

            public int Available => inner.Available;

            public ValueTask<bool> OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);

            public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.SendAsync(data, cancellationToken);

            public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

            public void Close() => inner.Close();

            public void Dispose()
            {
            }
        }
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Assert.Fail("the acquisition service stopped the application");
    }
}
