using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Simulators.MeterLines;

/// <summary>
/// Simulated CJ/T 188-2004 water meters on one line: read meter data (901FH) and valve control (A017H) to a meter's
/// address or to the wildcard (CJ/T 188-2004 §5.3.2), each answer echoing the request's SER.
/// </summary>
public sealed class CjT188Line(IReadOnlyList<CjT188WaterMeter> meters) : IMeterLineProtocol
{
    private readonly IReadOnlyList<CjT188WaterMeter> _meters = meters ?? throw new ArgumentNullException(nameof(meters));

    public string Name => "cjt188";

    public IReadOnlyList<string> Addresses => [.. _meters.Select(m => m.Address.Digits)];

    public int Scan(ReadOnlySpan<byte> received)
    {
        var frame = CjT188Framer.Decode(received);
        return frame.Status switch
        {
            MeterDecodeStatus.Complete => frame.Length,
            MeterDecodeStatus.NeedMoreData => 0,
            _ => -1,
        };
    }

    public MeterAnswer? Answer(ReadOnlySpan<byte> request, DateTimeOffset now)
    {
        var frame = CjT188Framer.Decode(request);
        if (frame.Control.IsResponse)
            return null;
        var meter = _meters.FirstOrDefault(m => frame.Address.Matches(m.Address) && frame.MeterType == m.MeterType);
        if (meter is null || !frame.TryReadIdentifier(request, meter.Order, out var identifier, out var serial))
            return null;

        var buffer = new byte[CjT188Framer.Overhead + CjT188Framer.MaxDataLength + CjT188Framer.DefaultPreambleLength];
        var other = MeterAddress.Parse(meter.Address.Digits[..^1] + (meter.Address.Digits[^1] == '9' ? '0' : (char)(meter.Address.Digits[^1] + 1)), CjT188Framer.AddressLength);
        var function = frame.Control.Function;
        byte[] Encode(Func<byte[], int> encode) => buffer[..encode(buffer)];

        if (function == CjT188Function.ReadData && identifier == CjT188DataIdentifier.MeterData)
        {
            var data = meter.Data();
            return new MeterAnswer(
                meter.Address.Digits,
                Encode(b => CjT188Reply.EncodeMeterData(b, meter.MeterType, meter.Address, serial, data, meter.Order)),
                Encode(b => CjT188Reply.EncodeAbnormal(b, meter.MeterType, meter.Address, function, serial, data.Status)),
                Encode(b => CjT188Reply.EncodeMeterData(b, meter.MeterType, other, serial, data, meter.Order)));
        }
        if (function == CjT188Function.WriteData && CjT188Request.TryDecodeValveControl(frame, request, meter.Order, out var open, out _, out _))
        {
            meter.ValveClosed = !open;
            var status = meter.Data().Status;
            return new MeterAnswer(
                meter.Address.Digits,
                Encode(b => CjT188Reply.EncodeValveStatus(b, meter.MeterType, meter.Address, serial, status, meter.Order)),
                Encode(b => CjT188Reply.EncodeAbnormal(b, meter.MeterType, meter.Address, function, serial, status)),
                Encode(b => CjT188Reply.EncodeValveStatus(b, meter.MeterType, other, serial, status, meter.Order)));
        }
        return null;
    }

    public void Update()
    {
        foreach (var meter in _meters)
            meter.Update();
    }
}
