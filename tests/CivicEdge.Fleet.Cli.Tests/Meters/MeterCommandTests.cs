using System.Text.Json;
using CivicEdge.Fleet.Cli.Tests.Modbus;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Transports;

namespace CivicEdge.Fleet.Cli.Tests.Meters;

/// <summary><c>civic dlt645 read</c> and <c>civic cjt188 read</c> against meters behind a TCP converter on loopback.</summary>
[Category("Integration")]
public sealed class MeterCommandTests
{
    private static readonly MeterAddress Electricity = MeterAddress.Parse("000102030425", 6);
    private static readonly MeterAddress Water = MeterAddress.Parse("78330011223344", 7);

    private static byte[] EnergyMeter(byte[] request)
    {
        var frame = Dlt645Framer.Decode(request);
        if (frame.Status != MeterDecodeStatus.Complete || !Dlt645Request.TryDecodeReadData(frame, request, Dlt645Version.V2007, out var identifier, out _))
            return [];
        var buffer = new byte[64];
        if (!Dlt645DataCatalog.TryFind2007(identifier, out var item))
            return buffer[..Dlt645Reply.EncodeError(buffer, Electricity, Dlt645Function.ReadData, Dlt645ErrorFlags.NoRequestedData)];
        var value = new byte[item.Length];
        item.Encode(1206.42m, value);
        return buffer[..Dlt645Reply.EncodeData(buffer, Electricity, Dlt645Version.V2007, identifier, value)];
    }

    [Test]
    public async Task Dlt645_read_prints_the_value_with_quantity_and_unit_as_json()
    {
        await using var meter = new TcpMeter(EnergyMeter);

        var (exit, output) = await CivicRun.RunAsync("dlt645", "read", "--tcp", meter.Endpoint, "--address", "000102030425", "--di", "00010000", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var value = json.RootElement.GetProperty("values")[0];
        Assert.That(json.RootElement.GetProperty("address").GetString(), Is.EqualTo("000102030425"));
        Assert.That(value.GetProperty("quantity").GetString(), Is.EqualTo("forward active energy total"));
        Assert.That(value.GetProperty("value").GetDecimal(), Is.EqualTo(1206.42m));
        Assert.That(value.GetProperty("unit").GetString(), Is.EqualTo("kWh"));
    }

    [Test]
    public async Task Dlt645_read_reaches_a_meter_on_a_serial_line()
    {
        using var pty = await SocatPtyPair.StartAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        using var line = new SerialChannel(new SerialChannelOptions { Path = pty.PeerPath, BaudRate = 2400 });
        await line.OpenAsync(CancellationToken.None);
        var meter = Task.Run(async () =>
        {
            var received = new List<byte>();
            var buffer = new byte[256];
            while (!stop.IsCancellationRequested)
            {
                int read = await line.ReceiveAsync(buffer, stop.Token);
                received.AddRange(buffer[..read]);
                var request = received.ToArray();
                var frame = Dlt645Framer.Decode(request);
                if (frame.Status == MeterDecodeStatus.NeedMoreData)
                    continue;
                received.Clear();
                if (frame.Status == MeterDecodeStatus.Complete)
                    await line.SendAsync(EnergyMeter(request), stop.Token);
            }
        });

        var (exit, output) = await CivicRun.RunAsync("dlt645", "read", "--serial", pty.DevicePath, "--address", "000102030425", "--timeout", "2s");
        await stop.CancelAsync();
        await Task.WhenAny(meter);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("forward active energy total").And.Contain("1206.42").And.Contain("kWh"));
    }

    [Test]
    public async Task Dlt645_read_exits_4_with_the_meters_error_when_it_has_no_such_data()
    {
        await using var meter = new TcpMeter(EnergyMeter);

        var (exit, output) = await CivicRun.RunAsync("dlt645", "read", "--tcp", meter.Endpoint, "--di", "04000101");

        Assert.That(exit, Is.EqualTo(4), output);
        Assert.That(output, Does.Contain("NoRequestedData"));
    }

    [Test]
    public async Task A_silent_meter_exits_5_saying_there_was_no_answer()
    {
        await using var meter = new TcpMeter(_ => []);

        var (exit, output) = await CivicRun.RunAsync("dlt645", "read", "--tcp", meter.Endpoint, "--timeout", "100ms", "--retries", "0");

        Assert.That(exit, Is.EqualTo(5), output);
        Assert.That(output, Does.Contain("no answer"));
    }

    [Test]
    public async Task Cjt188_read_prints_flow_time_and_valve()
    {
        await using var meter = new TcpMeter(request =>
        {
            var frame = CjT188Framer.Decode(request);
            frame.TryReadIdentifier(request, CjT188IdentifierOrder.LowByteFirst, out _, out var serial);
            var buffer = new byte[64];
            var data = new CjT188MeterData(556677.00m, CjT188Unit.CubicMetre, 556600.00m, CjT188Unit.CubicMetre, new DateTime(2015, 5, 11, 22, 1, 31), new CjT188Status(0x01, 0));
            return buffer[..CjT188Reply.EncodeMeterData(buffer, CjT188MeterType.ColdWater, Water, serial, data, CjT188IdentifierOrder.LowByteFirst)];
        });

        var (exit, output) = await CivicRun.RunAsync("cjt188", "read", "--tcp", meter.Endpoint, "--address", "78330011223344", "--di-order", "low");

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("current cumulative flow").And.Contain("556677").And.Contain("m³"));
        Assert.That(output, Does.Contain("2015-05-11 22:01:31").And.Contain("Closed"));
    }

    [TestCase("dlt645 read --address 12X --tcp 127.0.0.1:1", "--address")]
    [TestCase("dlt645 read --di 0001 --tcp 127.0.0.1:1", "--di")]
    [TestCase("dlt645 read", "--serial PATH or --tcp HOST:PORT")]
    [TestCase("dlt645 read --serial /dev/null --tcp 127.0.0.1:1", "found both")]
    [TestCase("cjt188 read --di-order middle --tcp 127.0.0.1:1", "--di-order")]
    [TestCase("cjt188 read --di-order low --type 1 --tcp 127.0.0.1:1", "--type")]
    public async Task A_bad_option_exits_2_naming_it(string commandLine, string named)
    {
        var (exit, output) = await CivicRun.RunAsync(commandLine.Split(' '));

        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain(named));
    }
}
