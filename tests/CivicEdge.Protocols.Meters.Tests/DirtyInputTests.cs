using CsCheck;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Protocols.Meters.Tests;

/// <summary>
/// Whatever a line delivers, the decoders answer with a result and never throw: a complete frame inside the bytes,
/// a need for more bytes beyond them, or a fault at an offset within them.
/// </summary>
[Category("Unit")]
public sealed class DirtyInputTests
{
    private const int Iterations = 2000;

    /// <summary>Random bytes, made likelier to look like a frame by seeding start characters and preambles.</summary>
    private static readonly Gen<byte[]> Noise =
        Gen.Frequency((3, Gen.Byte), (1, Gen.Int[0, 2].Select(i => new byte[] { 0x68, 0xFE, 0x16 }[i]))).Array[0, 120];

    [Test]
    public void Dlt645_framing_of_noise_never_throws_and_stays_within_the_bytes()
    {
        Noise.Sample(bytes =>
        {
            var frame = Dlt645Framer.Decode(bytes);
            return IsSound(frame.Status, frame.Length, frame.Offset, bytes.Length);
        }, iter: Iterations);
    }

    [Test]
    public void CjT188_framing_of_noise_never_throws_and_stays_within_the_bytes()
    {
        Noise.Sample(bytes =>
        {
            var frame = CjT188Framer.Decode(bytes);
            return IsSound(frame.Status, frame.Length, frame.Offset, bytes.Length);
        }, iter: Iterations);
    }

    [Test]
    public void Dlt645_replies_with_any_data_field_decode_or_give_a_reason()
    {
        Gen.Select(Gen.Byte[0x80, 0xFF], Gen.Byte.Array[0, 40], Gen.Bool).Sample((control, data, v1997) =>
        {
            var buffer = new byte[64];
            int length = Dlt645Framer.Encode(buffer, MeterAddress.Parse("1", 6), new Dlt645Control(control), data, 0);
            var frame = Dlt645Framer.Decode(buffer.AsSpan(0, length));
            var version = v1997 ? Dlt645Version.V1997 : Dlt645Version.V2007;
            if (Dlt645Reply.TryDecode(frame, buffer.AsSpan(0, length), version, out var reply, out var reason))
            {
                if (reply.Kind == Dlt645ReplyKind.Data)
                    _ = reply.TryReadValue(version, out _, out _, out _);
                return true;
            }

            return !string.IsNullOrEmpty(reason);
        }, iter: Iterations);
    }

    [Test]
    public void CjT188_replies_and_meter_data_with_any_bytes_decode_or_give_a_reason()
    {
        Gen.Select(Gen.Byte[0x80, 0xFF], Gen.Byte.Array[0, 60]).Sample((control, data) =>
        {
            var buffer = new byte[80];
            int length = CjT188Framer.Encode(buffer, CjT188MeterType.Heat, MeterAddress.Parse("1", 7), new CjT188Control(control), data, 0);
            var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));
            if (!CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), CjT188IdentifierOrder.LowByteFirst, out var reply, out var reason))
                return !string.IsNullOrEmpty(reason);
            bool water = CjT188MeterData.TryDecode(reply.Payload, out _, out var waterReason);
            bool heat = CjT188HeatMeterData.TryDecode(reply.Payload, out _, out var heatReason);
            return (water || !string.IsNullOrEmpty(waterReason)) && (heat || !string.IsNullOrEmpty(heatReason));
        }, iter: Iterations);
    }

    private static bool IsSound(MeterDecodeStatus status, int length, int offset, int received) => status switch
    {
        MeterDecodeStatus.Complete => length > 0 && length <= received,
        MeterDecodeStatus.NeedMoreData => length > received,
        _ => offset >= 0 && offset < received,
    };
}
