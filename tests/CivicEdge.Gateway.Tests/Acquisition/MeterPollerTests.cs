using System.Net;
using System.Net.Sockets;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Hardware;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Acquisition;

/// <summary>
/// Meters polled through their line's master and reader, over a scripted byte channel: what each protocol's answer
/// becomes as point values, and how silence, damage and refusals are counted (as a Modbus device's would be).
/// </summary>
[Category("Unit")]
public sealed class MeterPollerTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(150);
    private static readonly MeterAddress Water = MeterAddress.Parse("20240000001234", 7);
    private static readonly MeterAddress Power = MeterAddress.Parse("000012345678", 6);

    private static DevicePoller Poller(BusKind kind, string address, DeviceProfile profile, IByteChannel channel, ILoggerFactory? loggers = null)
    {
        var link = new ModbusLink("line", kind, null, new SerialLine("/dev/null", 2400, 'E', 8, 1), Fast);
        var bus = new MeterBus(link, channel, TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
        return new DevicePoller("meter-1", profile, address, TimeSpan.FromSeconds(10), bus.ReaderFor(address, profile), TimeProvider.System,
            (loggers ?? NullLoggerFactory.Instance).CreateLogger<DevicePoller>(), DevicePriority.Normal, link.Id);
    }

    private static Dictionary<string, PointValue?> ByName(DeviceProfile profile, PollResult poll) =>
        profile.Points.Select((p, i) => (p.Name, poll.Values[i])).ToDictionary(x => x.Name, x => x.Item2);

    [Test]
    public async Task A_real_heat_meters_readout_gives_the_heat_meter_profiles_values_in_its_units()
    {
        // Landis+Gyr Ultraheat T230 (from the libmbus sample set): flow 19.5 °C, return 19.7 °C, difference −0.2 K.
        var telegram = Hex(File.ReadAllText(Path.Combine(RepositoryProfiles.Directory, "..", "..", "tests", "CivicEdge.Protocols.MBus.Tests", "testdata", "mbus", "frames", "landis+gyr_ultraheat_t230.hex")));
        using var channel = new ScriptedMeterChannel(request => request[0] == 0x10 ? [telegram] : []);
        var profile = RepositoryProfiles.Get("mbus-heat-meter");
        var poller = Poller(BusKind.MBus, "5", profile, channel);

        var poll = await poller.PollAsync(CancellationToken.None);
        var values = ByName(profile, poll);

        Assert.That(poll.Answered, Is.True);
        Assert.That((values["supply_temperature"]!.Value, values["supply_temperature"]!.Unit), Is.EqualTo((19.5, "Cel")));
        Assert.That(values["return_temperature"]!.Value, Is.EqualTo(19.7).Within(1e-9));
        Assert.That((values["temperature_difference"]!.Value, values["temperature_difference"]!.Unit), Is.EqualTo((-0.2, "K")).Using<(double, string)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-9 && a.Item2 == b.Item2));
        Assert.That((values["heat_energy"]!.Value, values["heat_energy"]!.Unit, values["due_date_energy"]!.Value), Is.EqualTo((0.0, "kWh", 0.0)));
        Assert.That(values["error_flags"], Is.Null, "the T230 sends no error flags record: the point is not read, not invented");
        Assert.That((channel.Requests[0][0], channel.Requests[0][1] & 0xDF, channel.Requests[0][2]), Is.EqualTo(((byte)0x10, 0x5B, (byte)5)), "REQ_UD2 to primary address 5");
        Assert.That(poller.Counters.Responses, Is.EqualTo(1));
    }

    [Test]
    public async Task A_cjt188_water_meters_flow_is_converted_from_the_unit_code_it_sends_and_its_status_bits_are_points()
    {
        var data = new CjT188MeterData(1234.5m, CjT188Unit.Litre, 100.25m, CjT188Unit.CubicMetre, null, new CjT188Status(0b101, 0));
        using var channel = new ScriptedMeterChannel(request => [WaterAnswer(request, data)]);
        var profile = RepositoryProfiles.Get("cjt188-water-meter");
        var poller = Poller(BusKind.CjT188, Water.Digits, profile, channel);

        var values = ByName(profile, await poller.PollAsync(CancellationToken.None));

        Assert.That(values["volume"]!.Value, Is.EqualTo(1.2345).Within(1e-12), "1234.5 L is 1.2345 m3");
        Assert.That(values["settlement_volume"]!.Value, Is.EqualTo(100.25));
        Assert.That((values["valve"]!.Value, values["battery_low"]!.Value), Is.EqualTo((1.0, 1.0)), "ST0 = 101b: valve closed, battery low");
    }

    [Test]
    public async Task A_dlt645_meter_is_read_one_data_item_at_a_time_and_a_refused_item_is_counted_as_an_exception()
    {
        using var channel = new ScriptedMeterChannel(request => [PowerAnswer(request, id => id switch
        {
            0x00010000 => 12345.67m,
            0x02010100 => 231.4m,
            0x02020100 => 5.012m,
            _ => null,
        })]);
        var profile = RepositoryProfiles.Get("dlt645-2007-meter");
        var poller = Poller(BusKind.Dlt645, Power.Digits, profile, channel);

        var poll = await poller.PollAsync(CancellationToken.None);
        var values = ByName(profile, poll);

        Assert.That(channel.Requests, Has.Count.EqualTo(profile.Points.Count), "one read data request per identifier");
        Assert.That((values["forward_active_energy"]!.Value, values["voltage_a"]!.Value, values["current_a"]!.Value), Is.EqualTo((12345.67, 231.4, 5.012)));
        Assert.That(values["voltage_b"], Is.Null);
        Assert.That((poller.Counters.Responses, poller.Counters.Exceptions), Is.EqualTo((3L, profile.Points.Count - 3L)));
        Assert.That(poll.Answered, Is.True);
    }

    [Test]
    public async Task A_damaged_answer_is_counted_as_a_crc_error_and_logged_with_its_bytes()
    {
        using var loggers = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(loggers).SetMinimumLevel(LogLevel.Trace));
        using var channel = new ScriptedMeterChannel(request =>
        {
            var answer = PowerAnswer(request, _ => 1m);
            answer[^2] ^= 0xFF;
            return [answer];
        });
        var profile = RepositoryProfiles.Get("dlt645-1997-meter");
        var poller = Poller(BusKind.Dlt645, Power.Digits, profile, channel, factory);

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(poll.Values, Has.All.Null);
        Assert.That(poller.Counters.CrcErrors, Is.EqualTo(profile.Points.Count));
        Assert.That(poll.Answered, Is.True, "a meter that sends damaged frames is there: it is not backed off as silent");
        Assert.That(loggers.Messages, Has.Some.Contains("checksum").And.Contains("Bytes: 68"));
    }

    [Test]
    public async Task A_silent_meter_costs_its_line_one_timeout_per_poll()
    {
        using var channel = new ScriptedMeterChannel(_ => []);
        var profile = RepositoryProfiles.Get("dlt645-2007-meter");
        var poller = Poller(BusKind.Dlt645, Power.Digits, profile, channel);

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That(poll.Answered, Is.False);
        Assert.That(channel.Requests, Has.Count.EqualTo(1));
        Assert.That((poller.Counters.Timeouts, poller.Healthy), Is.EqualTo((1L, false)));
    }

    [Test]
    public async Task A_converter_that_cannot_be_reached_is_counted_as_a_transport_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var link = new ModbusLink("conv", BusKind.CjT188, new DeviceEndpoint("127.0.0.1", port), null, Fast);
        await using var bus = new MeterBusFactory(TimeProvider.System, NullLoggerFactory.Instance).Create(link);
        var profile = RepositoryProfiles.Get("cjt188-water-meter");
        var poller = new DevicePoller("water-1", profile, Water.Digits, TimeSpan.FromSeconds(10), bus.ReaderFor(Water.Digits, profile), TimeProvider.System,
            NullLogger<DevicePoller>.Instance, DevicePriority.Normal, link.Id);

        var poll = await poller.PollAsync(CancellationToken.None);

        Assert.That((poll.Answered, poller.Counters.TransportErrors), Is.EqualTo((false, 1L)));
    }

    [Test]
    public async Task An_on_demand_read_of_a_meter_point_makes_the_request_that_carries_it()
    {
        using var channel = new ScriptedMeterChannel(request => [PowerAnswer(request, _ => 230.9m)]);
        var profile = RepositoryProfiles.Get("dlt645-2007-meter");
        var poller = Poller(BusKind.Dlt645, Power.Digits, profile, channel);

        var (result, value) = await poller.ReadPointAsync(profile.Points.Single(p => p.Name == "voltage_c"), CancellationToken.None);

        Assert.That((result.IsOk, value!.Value), Is.EqualTo((true, 230.9)));
        Assert.That(channel.Requests, Has.Count.EqualTo(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => poller.WritePointAsync(profile.Points[0], 1, CancellationToken.None));
    }

    private static byte[] WaterAnswer(byte[] request, CjT188MeterData data)
    {
        var frame = CjT188Framer.Decode(request);
        Assert.That(frame.TryReadIdentifier(request, CjT188IdentifierOrder.HighByteFirst, out var identifier, out var serial), Is.True);
        Assert.That((identifier, frame.MeterType, frame.Address), Is.EqualTo((CjT188DataIdentifier.MeterData, CjT188MeterType.ColdWater, Water)));
        var buffer = new byte[64];
        return buffer[..CjT188Reply.EncodeMeterData(buffer, CjT188MeterType.ColdWater, Water, serial, data, CjT188IdentifierOrder.HighByteFirst)];
    }

    /// <summary>The meter's answer to a read data request: the value the test gives for the identifier, or "no such data".</summary>
    private static byte[] PowerAnswer(byte[] request, Func<uint, decimal?> valueOf)
    {
        var frame = Dlt645Framer.Decode(request);
        var version = frame.Control.Function == Dlt645Function.ReadData ? Dlt645Version.V2007 : Dlt645Version.V1997;
        Assert.That(Dlt645Request.TryDecodeReadData(frame, request, version, out var identifier, out var reason), Is.True, reason);
        var buffer = new byte[64];
        var found = version == Dlt645Version.V2007 ? Dlt645DataCatalog.TryFind2007(identifier, out var item) : Dlt645DataCatalog.TryFind1997((ushort)identifier, out item);
        if (valueOf(identifier) is not { } value || !found)
            return buffer[..Dlt645Reply.EncodeError(buffer, Power, frame.Control.Function, Dlt645ErrorFlags.NoRequestedData)];
        var bytes = new byte[item!.Length];
        item.Encode(value, bytes);
        return buffer[..Dlt645Reply.EncodeData(buffer, Power, version, identifier, bytes)];
    }

    private static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(char.IsAsciiHexDigit)));
}
