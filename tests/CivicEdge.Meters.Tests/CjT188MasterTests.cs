using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Meters.Tests;

/// <summary>The CJ/T 188 master against a scripted meter that answers from the meter side of the codec.</summary>
[Category("Unit")]
public sealed class CjT188MasterTests
{
    private static readonly MeterAddress Meter = MeterAddress.Parse("78330011223344", 7);
    private static readonly MeterLineOptions Fast = new() { ResponseTimeout = TimeSpan.FromMilliseconds(100), Retries = 1 };

    /// <summary>A cold water meter with the given DI byte order that echoes SER and reports its valve.</summary>
    private static ScriptedMeterChannel WaterMeter(CjT188IdentifierOrder order, byte valveSt0 = 0x00) => new(request =>
    {
        var frame = CjT188Framer.Decode(request);
        frame.TryReadIdentifier(request, order, out var identifier, out var serial);
        // A lenient meter: it understands either order of DI, but answers in its own.
        identifier = identifier is 0x1F90 or 0x17A0 ? (ushort)((identifier << 8) | (identifier >> 8)) : identifier;
        var buffer = new byte[64];
        int length = identifier switch
        {
            CjT188DataIdentifier.MeterData => CjT188Reply.EncodeMeterData(buffer, CjT188MeterType.ColdWater, Meter, serial,
                new CjT188MeterData(123.45m, CjT188Unit.CubicMetre, 100m, CjT188Unit.CubicMetre, new DateTime(2026, 11, 29, 0, 45, 0), new CjT188Status(valveSt0, 0)), order),
            CjT188DataIdentifier.ValveControl => CjT188Reply.EncodeValveStatus(buffer, CjT188MeterType.ColdWater, Meter, serial,
                new CjT188Status(CjT188Request.TryDecodeValveControl(frame, request, order, out var open, out _, out _) && open ? (byte)0 : (byte)1, 0), order),
            _ => 0,
        };
        return [buffer[..length]];
    });

    [TestCase(CjT188IdentifierOrder.HighByteFirst)]
    [TestCase(CjT188IdentifierOrder.LowByteFirst)]
    public async Task ReadMeterDataAsync_reads_the_flow_in_the_meters_byte_order(CjT188IdentifierOrder order)
    {
        using var channel = WaterMeter(order);
        using var master = new CjT188Master(channel, Fast, order);

        var result = await master.ReadMeterDataAsync(CjT188MeterType.ColdWater, Meter, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.Reason);
        Assert.That(CjT188MeterData.TryDecode(result.Value!.Payload, out var data, out var reason), Is.True, reason);
        Assert.That(data!.Current, Is.EqualTo(123.45m));
    }

    [Test]
    public async Task A_profile_with_the_wrong_byte_order_takes_no_answer_and_says_to_check_the_order()
    {
        using var channel = WaterMeter(CjT188IdentifierOrder.LowByteFirst);
        using var master = new CjT188Master(channel, Fast, CjT188IdentifierOrder.HighByteFirst);

        var result = await master.ReadMeterDataAsync(CjT188MeterType.ColdWater, Meter, CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Reason, Does.Contain("no valid answer").And.Contain("DI 1F90H").And.Contain("check the DI byte order"));
    }

    [Test]
    public async Task ControlValveAsync_returns_the_valve_state_after_the_command()
    {
        using var channel = WaterMeter(CjT188IdentifierOrder.LowByteFirst);
        using var master = new CjT188Master(channel, Fast, CjT188IdentifierOrder.LowByteFirst);

        var closed = await master.ControlValveAsync(CjT188MeterType.ColdWater, Meter, open: false, CancellationToken.None);
        var opened = await master.ControlValveAsync(CjT188MeterType.ColdWater, Meter, open: true, CancellationToken.None);

        Assert.That(closed.Value!.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Closed));
        Assert.That(opened.Value!.Status!.Value.Valve, Is.EqualTo(CjT188ValveState.Open));
        Assert.That(channel.Requests[1][^3], Is.EqualTo(CjT188Request.OpenValve));
    }

    [Test]
    public async Task An_abnormal_reply_fails_with_the_meters_status()
    {
        using var channel = new ScriptedMeterChannel(request =>
        {
            var frame = CjT188Framer.Decode(request);
            frame.TryReadIdentifier(request, CjT188IdentifierOrder.LowByteFirst, out _, out var serial);
            var buffer = new byte[32];
            return [buffer[..CjT188Reply.EncodeAbnormal(buffer, CjT188MeterType.ColdWater, Meter, CjT188Function.WriteData, serial, new CjT188Status(0x03, 0))]];
        });
        using var master = new CjT188Master(channel, Fast, CjT188IdentifierOrder.LowByteFirst);

        var result = await master.ControlValveAsync(CjT188MeterType.ColdWater, Meter, open: true, CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Reason, Does.Contain("abnormal").And.Contain("Abnormal"));
    }
}
