using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Simulators.MeterLines;

/// <summary>
/// Simulated DL/T 645 meters on one RS-485 line: read data (2007 11H, 1997 01H) answered with the item's value, or with
/// an abnormal reply "no requested data" (DL/T 645-2007 §6.2) for an item the meter lacks; read address (13H) to the
/// wildcard answered by a lone meter. 2007 and 1997 meters may share the line.
/// </summary>
public sealed class Dlt645Line(IReadOnlyList<Dlt645Meter> meters) : IMeterLineProtocol
{
    private readonly IReadOnlyList<Dlt645Meter> _meters = meters ?? throw new ArgumentNullException(nameof(meters));

    public string Name => "dlt645";

    public IReadOnlyList<string> Addresses => [.. _meters.Select(m => m.Address.Digits)];

    public int Scan(ReadOnlySpan<byte> received)
    {
        var frame = Dlt645Framer.Decode(received);
        return frame.Status switch
        {
            MeterDecodeStatus.Complete => frame.Length,
            MeterDecodeStatus.NeedMoreData => 0,
            _ => -1,
        };
    }

    public MeterAnswer? Answer(ReadOnlySpan<byte> request, DateTimeOffset now)
    {
        var frame = Dlt645Framer.Decode(request);
        if (frame.Control.IsResponse)
            return null;
        var buffer = new byte[Dlt645Framer.Overhead + Dlt645Framer.MaxDataLength + Dlt645Framer.DefaultPreambleLength];
        byte[] Encode(Func<byte[], int> encode) => buffer[..encode(buffer)];

        if (frame.Control.Function == Dlt645Function.ReadAddress)
        {
            if (_meters.Count != 1)
                return null;
            var lone = _meters[0];
            return new MeterAnswer(lone.Address.Digits, Encode(b => Dlt645Reply.EncodeAddress(b, lone.Address)),
                Encode(b => Dlt645Reply.EncodeError(b, lone.Address, Dlt645Function.ReadAddress, Dlt645ErrorFlags.OtherError)),
                Encode(b => Dlt645Reply.EncodeAddress(b, Other(lone.Address))));
        }

        var version = frame.Control.Function == Dlt645Function.ReadData ? Dlt645Version.V2007
            : frame.Control.Function == Dlt645Function.ReadData1997 ? Dlt645Version.V1997
            : (Dlt645Version?)null;
        var meter = _meters.FirstOrDefault(m => frame.Address.Matches(m.Address) && m.Version == version);
        if (version is not { } v || meter is null || !Dlt645Request.TryDecodeReadData(frame, request, v, out var identifier, out _))
            return null;

        var function = frame.Control.Function;
        var refusal = Encode(b => Dlt645Reply.EncodeError(b, meter.Address, function, Dlt645ErrorFlags.Unauthorized));
        if (!meter.TryRead(identifier, out var item, out var value))
        {
            var missing = Encode(b => Dlt645Reply.EncodeError(b, meter.Address, function, Dlt645ErrorFlags.NoRequestedData));
            return new MeterAnswer(meter.Address.Digits, missing, refusal, Encode(b => Dlt645Reply.EncodeError(b, Other(meter.Address), function, Dlt645ErrorFlags.NoRequestedData)));
        }

        var bytes = new byte[item!.Length];
        item.Encode(value, bytes);
        return new MeterAnswer(
            meter.Address.Digits,
            Encode(b => Dlt645Reply.EncodeData(b, meter.Address, v, identifier, bytes)),
            refusal,
            Encode(b => Dlt645Reply.EncodeData(b, Other(meter.Address), v, identifier, bytes)));
    }

    public void Update()
    {
        foreach (var meter in _meters)
            meter.Update();
    }

    private static MeterAddress Other(MeterAddress address) =>
        MeterAddress.Parse(address.Digits[..^1] + (address.Digits[^1] == '9' ? '0' : (char)(address.Digits[^1] + 1)), address.ByteLength);
}
