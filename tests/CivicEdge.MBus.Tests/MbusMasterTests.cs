using CivicEdge.Protocols.MBus;

namespace CivicEdge.MBus.Tests;

/// <summary>The M-Bus master against a scripted bus: SND_NKE, REQ_UD2 with FCB, multi-telegram readout, selection and search.</summary>
[Category("Unit")]
public sealed class MbusMasterTests
{
    private static readonly MbusMasterOptions Quick = new() { ResponseTimeout = TimeSpan.FromMilliseconds(50), Retries = 1 };

    private static byte[] Answer(byte address, string records, long id = 12345678)
    {
        var idDigits = id.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var header = $"{idDigits[6..8]} {idDigits[4..6]} {idDigits[2..4]} {idDigits[..2]} 93 15 01 07 01 00 00 00";
        var data = Convert.FromHexString((header + " " + records).Replace(" ", "", StringComparison.Ordinal));
        var frame = new byte[MbusFramer.MaxFrameLength];
        int length = MbusFramer.EncodeLong(frame, 0x08, address, 0x72, data);
        return frame[..length];
    }

    [Test]
    public async Task Snd_nke_is_acknowledged_with_e5()
    {
        var bus = new ScriptedMbusBus(_ => [0xE5]);
        await using var master = new MbusMaster(bus, Quick);

        var outcome = await master.SendNkeAsync(5, CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(MbusOutcome.Ok));
        Assert.That(Convert.ToHexString(bus.Sent[0]), Is.EqualTo("1040054516"));
    }

    [Test]
    public async Task Successive_req_ud2_toggle_the_frame_count_bit_starting_set_after_snd_nke()
    {
        var bus = new ScriptedMbusBus(request => request[0] == 0x10 && request[1] == 0x40 ? [0xE5] : Answer(5, "04 13 01 00 00 00"));
        await using var master = new MbusMaster(bus, Quick);

        await master.SendNkeAsync(5, CancellationToken.None);
        var first = await master.ReadAsync(5, CancellationToken.None);
        var second = await master.ReadAsync(5, CancellationToken.None);

        Assert.That(first.Outcome, Is.EqualTo(MbusOutcome.Ok), first.Error);
        Assert.That(second.Outcome, Is.EqualTo(MbusOutcome.Ok), second.Error);
        Assert.That(bus.Sent.Skip(1).Select(f => f[1]), Is.EqualTo(new byte[] { 0x7B, 0x5B }), "FCB set, then clear (EN 13757-2 §5.5)");
        Assert.That(first.Records.Single().Value, Is.EqualTo(0.001).Within(1e-12));
    }

    [Test]
    public async Task A_lost_answer_is_asked_again_with_the_same_frame_count_bit()
    {
        int requests = 0;
        var bus = new ScriptedMbusBus(_ => ++requests == 1 ? null : Answer(1, "04 13 01 00 00 00"));
        await using var master = new MbusMaster(bus, Quick);

        var result = await master.ReadAsync(1, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Ok));
        Assert.That(bus.Sent, Has.Count.EqualTo(2));
        Assert.That(bus.Sent[1][1], Is.EqualTo(bus.Sent[0][1]), "a repeat keeps the FCB so the slave resends");
    }

    [Test]
    public async Task A_multi_telegram_readout_follows_more_records_follow()
    {
        int requests = 0;
        var bus = new ScriptedMbusBus(_ => ++requests == 1 ? Answer(1, "04 13 01 00 00 00 1F") : Answer(1, "04 13 02 00 00 00"));
        await using var master = new MbusMaster(bus, Quick);

        var result = await master.ReadAsync(1, CancellationToken.None);

        Assert.That(result.Telegrams, Has.Count.EqualTo(2));
        Assert.That(result.Records.Where(r => r.Kind == MbusValueKind.Numeric).Select(r => r.Value), Is.EqualTo(new[] { 0.001, 0.002 }).Within(1e-12));
        Assert.That(bus.Sent[1][1], Is.Not.EqualTo(bus.Sent[0][1]), "the next telegram is asked for with the FCB toggled");
    }

    [Test]
    public async Task A_silent_slave_times_out_after_the_retries()
    {
        var bus = new ScriptedMbusBus(_ => null);
        await using var master = new MbusMaster(bus, Quick);

        var result = await master.ReadAsync(9, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Timeout));
        Assert.That(bus.Sent, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_damaged_answer_is_reported_malformed_with_the_reason()
    {
        var bus = new ScriptedMbusBus(_ =>
        {
            var answer = Answer(1, "04 13 01 00 00 00");
            answer[^2] ^= 0x01;
            return answer;
        });
        await using var master = new MbusMaster(bus, Quick);

        var result = await master.ReadAsync(1, CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Malformed));
        Assert.That(result.Error, Does.Contain("expected checksum"));
    }

    [Test]
    public async Task Selection_sends_ci_52_with_the_secondary_address_to_fd()
    {
        var bus = new ScriptedMbusBus(_ => [0xE5]);
        await using var master = new MbusMaster(bus, Quick);

        var outcome = await master.SelectAsync(MbusSecondaryAddress.Parse("1234FFFF"), CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(MbusOutcome.Ok));
        Assert.That(Convert.ToHexString(bus.Sent[0]), Is.EqualTo("680B0B6853FD52" + "FFFF3412" + "FFFFFFFF" + "E216"), "checksum: 53+FD+52+FF+FF+34+12+FF+FF+FF+FF = 7E2");
    }

    [Test]
    public async Task A_wildcard_search_finds_every_slave_and_narrows_on_collisions()
    {
        long[] meters = [12345678, 12345699, 87654321];
        MbusSecondaryAddress? selected = null;
        var bus = new ScriptedMbusBus(request =>
        {
            if (request[0] == 0x68 && request[6] == MbusSecondaryAddress.SelectionCi)
            {
                var pattern = Pattern(request[7..11]);
                var matching = meters.Where(m => Matches(pattern, m)).ToList();
                selected = matching.Count == 1 ? new MbusSecondaryAddress(matching[0].ToString("D8", System.Globalization.CultureInfo.InvariantCulture)) : null;
                return matching.Count switch
                {
                    0 => null,
                    1 => [0xE5],
                    _ => [0xE5 & 0x7F, 0x2A], // two answers on the wire at once: a garbled byte
                };
            }
            return selected is { } s ? Answer(0xFD, "04 13 01 00 00 00", long.Parse(s.Identification, System.Globalization.CultureInfo.InvariantCulture)) : null;
        });
        await using var master = new MbusMaster(bus, Quick);

        var found = await master.ScanSecondaryAsync(MbusSecondaryAddress.Parse("FFFFFFFF"), CancellationToken.None);

        Assert.That(found.Select(h => h.Identification), Is.EquivalentTo(meters));
    }

    [Test]
    public void Options_out_of_range_are_refused_naming_the_option()
    {
        var bus = new ScriptedMbusBus(_ => null);

        Assert.That(() => new MbusMaster(bus, new MbusMasterOptions { Retries = -1 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Retries"));
    }

    private static string Pattern(byte[] id) =>
        string.Concat(Enumerable.Range(0, 4).Select(i => id[3 - i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static bool Matches(string pattern, long meter)
    {
        var digits = meter.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        return pattern.Zip(digits).All(p => p.First == 'F' || p.First == p.Second);
    }
}
