using CivicEdge.Protocols.MBus;

namespace CivicEdge.Simulators.MeterLines;

/// <summary>
/// Simulated heat meters on one M-Bus line (EN 13757-2): SND_NKE answered with E5, REQ_UD2 to a primary address (or to
/// FD once selected) with the meter's telegram, SND_UD with CI 52 selecting by secondary address (wildcard digits F)
/// answered with E5 by the one meter it selects; several selected at once answer over each other, as on a real bus.
/// </summary>
public sealed class MbusLine(IReadOnlyList<MbusHeatMeter> meters) : IMeterLineProtocol
{
    private readonly IReadOnlyList<MbusHeatMeter> _meters = meters ?? throw new ArgumentNullException(nameof(meters));

    public string Name => "mbus";

    public IReadOnlyList<string> Addresses => [.. _meters.Select(m => m.Primary.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public int Scan(ReadOnlySpan<byte> received)
    {
        var frame = MbusFramer.Decode(received);
        return frame.Status switch
        {
            MbusDecodeStatus.Complete => frame.Length,
            MbusDecodeStatus.NeedMoreData => 0,
            _ => -1,
        };
    }

    public MeterAnswer? Answer(ReadOnlySpan<byte> request, DateTimeOffset now)
    {
        var frame = MbusFramer.Decode(request);
        var control = (byte)(frame.Control & ~MbusFramer.FrameCountBit);
        if (frame.Type == MbusFrameType.Short && control == MbusFramer.SendNke)
        {
            var meter = Addressed(frame.Address);
            return meter is null ? null : new MeterAnswer(AddressOf(meter), [MbusFramer.Acknowledge], null, [MbusFramer.Acknowledge]);
        }
        if (frame.Type == MbusFrameType.Short && control == MbusFramer.RequestUserData2)
        {
            var meter = Addressed(frame.Address);
            return meter is null ? null : new MeterAnswer(AddressOf(meter), meter.Telegram(frame.Address), meter.ApplicationError(frame.Address), meter.Telegram((byte)(frame.Address ^ 0x01)));
        }
        if (frame.Type == MbusFrameType.Long && control == MbusFramer.SendUserData && frame.Address == MbusSecondaryAddress.NetworkLayerAddress
            && frame.ControlInformation == MbusSecondaryAddress.SelectionCi && frame.UserDataLength == MbusSecondaryAddress.EncodedLength)
        {
            var pattern = Identification(frame.UserData(request));
            var chosen = new List<MbusHeatMeter>();
            foreach (var meter in _meters)
            {
                meter.Selected = Matches(pattern, meter.Identification);
                if (meter.Selected)
                    chosen.Add(meter);
            }
            return chosen.Count switch
            {
                0 => null,
                1 => new MeterAnswer(AddressOf(chosen[0]), [MbusFramer.Acknowledge], null, [MbusFramer.Acknowledge]),
                // Several slaves answer at once: their E5s collide into a damaged character (EN 13757-3 Annex, secondary search).
                _ => new MeterAnswer(AddressOf(chosen[0]), [0xE5 & 0x65, 0xFF], null, [0xFF]),
            };
        }
        return null;
    }

    public void Update()
    {
        foreach (var meter in _meters)
            meter.Update();
    }

    private MbusHeatMeter? Addressed(byte address) =>
        address == MbusSecondaryAddress.NetworkLayerAddress
            ? _meters.FirstOrDefault(m => m.Selected)
            : _meters.FirstOrDefault(m => m.Primary == address);

    private static string AddressOf(MbusHeatMeter meter) => meter.Primary.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The identification digits of a selection (BCD, least significant byte first), F for a wildcard nibble.</summary>
    private static string Identification(ReadOnlySpan<byte> data)
    {
        var digits = new char[8];
        for (var i = 0; i < 4; i++)
        {
            digits[6 - (2 * i)] = "0123456789ABCDEF"[data[i] >> 4];
            digits[7 - (2 * i)] = "0123456789ABCDEF"[data[i] & 0x0F];
        }
        return new string(digits);
    }

    private static bool Matches(string pattern, string identification)
    {
        for (var i = 0; i < 8; i++)
        {
            if (pattern[i] != 'F' && pattern[i] != identification[i])
                return false;
        }
        return true;
    }
}
