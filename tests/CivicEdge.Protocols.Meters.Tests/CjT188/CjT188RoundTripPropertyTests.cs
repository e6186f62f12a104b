using CsCheck;
using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Protocols.Meters.Tests.CjT188;

/// <summary>Encode → decode over generated meters and readings, in both identifier orders.</summary>
[Category("Unit")]
public sealed class CjT188RoundTripPropertyTests
{
    private const int Iterations = 300;

    private static readonly CjT188Unit[] Units = Enum.GetValues<CjT188Unit>();
    private static readonly CjT188MeterType[] Types = [CjT188MeterType.ColdWater, CjT188MeterType.HotWater, CjT188MeterType.Gas, CjT188MeterType.ReclaimedWater];

    private static readonly Gen<MeterAddress> Addresses =
        Gen.ULong[0, 99_999_999_999_999].Select(n => MeterAddress.Parse(n.ToString("D14", System.Globalization.CultureInfo.InvariantCulture), 7));

    private static readonly Gen<DateTime?> Times =
        Gen.Frequency((1, Gen.Const((DateTime?)null)), (5, Gen.DateTime[new DateTime(2000, 1, 1), new DateTime(2099, 12, 31)].Select(t => (DateTime?)new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second))));

    private static readonly Gen<CjT188MeterData> Readings =
        Gen.Select(Gen.UInt[0, 99_999_999], Gen.Int[0, Units.Length - 1], Gen.UInt[0, 99_999_999], Gen.Int[0, Units.Length - 1], Times, Gen.Byte, Gen.Byte)
            .Select((current, cu, settlement, su, time, st0, st1) =>
                new CjT188MeterData(current / 100m, Units[cu], settlement / 100m, Units[su], time, new CjT188Status(st0, st1)));

    [Test]
    public void A_meter_data_reply_decodes_to_what_it_was_built_from()
    {
        Gen.Select(Addresses, Gen.Int[0, Types.Length - 1], Readings, Gen.Bool, Gen.Byte).Sample((address, type, reading, lowFirst, serial) =>
        {
            var order = lowFirst ? CjT188IdentifierOrder.LowByteFirst : CjT188IdentifierOrder.HighByteFirst;
            var payload = new byte[CjT188MeterData.Length];
            reading.Encode(payload);
            var buffer = new byte[64];
            int length = CjT188Framer.Encode(buffer, Types[type], address, CjT188Control.Response(CjT188Function.ReadData), CjT188DataIdentifier.MeterData, serial, payload, order);

            var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));
            if (frame.Status != MeterDecodeStatus.Complete || frame.Length != length)
                return false;
            if (!CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), order, out var reply, out _))
                return false;
            if (!CjT188MeterData.TryDecode(reply.Payload, out var decoded, out _))
                return false;
            return reply.Address == address && reply.MeterType == Types[type] && reply.Serial == serial
                && reply.Identifier == CjT188DataIdentifier.MeterData && decoded == reading;
        }, iter: Iterations);
    }

    [Test]
    public void Every_proper_prefix_of_a_frame_asks_for_more_and_never_fails()
    {
        Gen.Select(Addresses, Gen.Bool, Gen.Int[0, 4]).Sample((address, open, preamble) =>
        {
            var buffer = new byte[64];
            int length = CjT188Request.EncodeValveControl(buffer, CjT188MeterType.ColdWater, address, open, CjT188IdentifierOrder.HighByteFirst, 0, preamble);
            for (int received = 0; received < length; received++)
            {
                if (CjT188Framer.Decode(buffer.AsSpan(0, received)).Status != MeterDecodeStatus.NeedMoreData)
                    return false;
            }

            return CjT188Framer.Decode(buffer.AsSpan(0, length)).Status == MeterDecodeStatus.Complete;
        }, iter: Iterations);
    }

    [Test]
    public void Any_single_flipped_byte_is_never_taken_for_a_good_frame()
    {
        Gen.Select(Addresses, Gen.Int[0, 15], Gen.Byte[1, 255]).Sample((address, position, flip) =>
        {
            var buffer = new byte[64];
            int length = CjT188Request.EncodeReadMeterData(buffer, CjT188MeterType.Gas, address, CjT188IdentifierOrder.LowByteFirst, 0, preambleLength: 0);
            buffer[position % length] ^= flip;

            return CjT188Framer.Decode(buffer.AsSpan(0, length)).Status != MeterDecodeStatus.Complete;
        }, iter: Iterations);
    }
}
