using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Meters.Tests;

/// <summary>The DL/T 645 master against a scripted line: noise, echoes, other meters, silence.</summary>
[Category("Unit")]
public sealed class Dlt645MasterTests
{
    private static readonly MeterAddress Meter = MeterAddress.Parse("000102030425", 6);
    private static readonly MeterLineOptions Fast = new() { ResponseTimeout = TimeSpan.FromMilliseconds(100), Retries = 1 };

    private static byte[] EnergyAnswer(MeterAddress from, decimal kWh)
    {
        Dlt645DataCatalog.TryFind2007(0x00010000, out var item);
        var value = new byte[4];
        item!.Encode(kWh, value);
        var buffer = new byte[64];
        int length = Dlt645Reply.EncodeData(buffer, from, Dlt645Version.V2007, 0x00010000, value);
        return buffer[..length];
    }

    [Test]
    public async Task ReadAsync_finds_the_answer_behind_noise_an_echo_and_another_meter_arriving_byte_by_byte()
    {
        var other = MeterAddress.Parse("999999990001", 6);
        using var channel = new ScriptedMeterChannel(request =>
            new[] { request, new byte[] { 0x00, 0x68, 0x13 }, EnergyAnswer(other, 1m), EnergyAnswer(Meter, 1206.42m) }
                .SelectMany(chunk => chunk).Select(b => new[] { b }));
        using var master = new Dlt645Master(channel, Fast);

        var result = await master.ReadAsync(Meter, 0x00010000, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.Reason);
        Assert.That(result.Value!.TryReadValue(Dlt645Version.V2007, out _, out var value, out var reason), Is.True, reason);
        Assert.That(value, Is.EqualTo(1206.42m));
        Assert.That(master.DiscardedBytes, Is.GreaterThanOrEqualTo(channel.Requests[0].Length + 3 + EnergyAnswer(other, 1m).Length));
    }

    [Test]
    public async Task ReadAsync_throws_away_stray_bytes_before_it_sends()
    {
        using var channel = new ScriptedMeterChannel(_ => [EnergyAnswer(Meter, 5m)]);
        channel.Inject(EnergyAnswer(Meter, 999m));
        using var master = new Dlt645Master(channel, Fast);

        var result = await master.ReadAsync(Meter, 0x00010000, CancellationToken.None);

        Assert.That(result.Value!.TryReadValue(Dlt645Version.V2007, out _, out var value, out _), Is.True);
        Assert.That(value, Is.EqualTo(5m), "a late answer to an earlier request is not taken for this one");
    }

    [Test]
    public async Task ReadAsync_returns_an_abnormal_reply_with_its_error()
    {
        using var channel = new ScriptedMeterChannel(_ =>
        {
            var buffer = new byte[32];
            int length = Dlt645Reply.EncodeError(buffer, Meter, Dlt645Function.ReadData, Dlt645ErrorFlags.NoRequestedData);
            return [buffer[..length]];
        });
        using var master = new Dlt645Master(channel, Fast);

        var result = await master.ReadAsync(Meter, 0x04000101, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.Reason);
        Assert.That(result.Value!.Errors, Is.EqualTo(Dlt645ErrorFlags.NoRequestedData));
    }

    [Test]
    public async Task ReadAsync_retries_a_silent_meter_and_then_says_how_often_it_asked()
    {
        using var channel = new ScriptedMeterChannel(_ => []);
        using var master = new Dlt645Master(channel, Fast);

        var result = await master.ReadAsync(Meter, 0x00010000, CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Reason, Does.Contain("no answer").And.Contain("2 attempt"));
        Assert.That(channel.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ReadAsync_answers_on_the_second_attempt_after_a_corrupted_first_answer()
    {
        int asked = 0;
        using var channel = new ScriptedMeterChannel(_ =>
        {
            var answer = EnergyAnswer(Meter, 42m);
            if (asked++ == 0)
                answer[^2] ^= 0x01;
            return [answer];
        });
        using var master = new Dlt645Master(channel, Fast);

        var result = await master.ReadAsync(Meter, 0x00010000, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.Reason);
        Assert.That(channel.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ReadAddressAsync_reads_the_lone_meter()
    {
        using var channel = new ScriptedMeterChannel(_ =>
        {
            var buffer = new byte[32];
            return [buffer[..Dlt645Reply.EncodeAddress(buffer, Meter)]];
        });
        using var master = new Dlt645Master(channel, Fast);

        var result = await master.ReadAddressAsync(CancellationToken.None);

        Assert.That(result.Value, Is.EqualTo(Meter));
        Assert.That(Convert.ToHexString(channel.Requests[0]), Is.EqualTo("FEFEFEFE68AAAAAAAAAAAA681300DF16"));
    }

    [Test]
    public void A_bad_option_is_refused_by_name()
    {
        using var channel = new ScriptedMeterChannel(_ => []);

        Assert.That(() => new Dlt645Master(channel, new MeterLineOptions { Retries = -1 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Retries"));
    }
}
