using CsCheck;
using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Protocols.Meters.Tests.Dlt645;

/// <summary>Encode → decode over generated addresses, identifiers and values: what goes in comes out.</summary>
[Category("Unit")]
public sealed class Dlt645RoundTripPropertyTests
{
    private const int Iterations = 300;

    private static readonly uint[] Identifiers =
        [0x00000000, 0x00010000, 0x00020100, 0x0005040C, 0x000A0000, 0x02010100, 0x02020300, 0x02030000, 0x02060100, 0x02800002, 0x02800007];

    private static readonly Gen<MeterAddress> Addresses =
        Gen.ULong[0, 999_999_999_999].Select(n => MeterAddress.Parse(n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture), 6));

    private static readonly Gen<(Dlt645DataItem Item, decimal Value)> Readings =
        Gen.Int[0, Identifiers.Length - 1].SelectMany(i =>
        {
            Dlt645DataCatalog.TryFind2007(Identifiers[i], out var item);
            var max = (long)item!.MaxRaw;
            return Gen.Long[item.Signed ? -max : 0, max].Select(raw => (item, new decimal(raw) / Scale(item.Decimals)));
        });

    [Test]
    public void A_read_reply_decodes_to_the_address_identifier_and_value_it_was_built_from()
    {
        Gen.Select(Addresses, Readings, Gen.Int[0, 4]).Sample((address, reading, preamble) =>
        {
            var data = new byte[4 + reading.Item.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(data, reading.Item.Identifier);
            reading.Item.Encode(reading.Value, data.AsSpan(4));
            var buffer = new byte[64];
            int length = Dlt645Framer.Encode(buffer, address, Dlt645Control.Response(Dlt645Function.ReadData), data, preamble);
            var bytes = buffer[..length];

            var frame = Dlt645Framer.Decode(bytes);
            if (frame.Status != MeterDecodeStatus.Complete || frame.Length != length)
                return false;
            if (!Dlt645Reply.TryDecode(frame, bytes, Dlt645Version.V2007, out var reply, out _))
                return false;
            if (!reply.TryReadValue(Dlt645Version.V2007, out _, out var value, out _))
                return false;
            return reply.Address == address && reply.Identifier == reading.Item.Identifier && value == reading.Value;
        }, iter: Iterations);
    }

    [Test]
    public void Every_proper_prefix_of_a_frame_asks_for_more_and_never_fails()
    {
        Gen.Select(Addresses, Gen.UInt, Gen.Int[0, 4]).Sample((address, identifier, preamble) =>
        {
            var buffer = new byte[64];
            int length = Dlt645Request.EncodeReadData(buffer, address, identifier, preamble);
            for (int received = 0; received < length; received++)
            {
                if (Dlt645Framer.Decode(buffer.AsSpan(0, received)).Status != MeterDecodeStatus.NeedMoreData)
                    return false;
            }

            return Dlt645Framer.Decode(buffer.AsSpan(0, length)).Status == MeterDecodeStatus.Complete;
        }, iter: Iterations);
    }

    [Test]
    public void Any_single_flipped_byte_after_the_preamble_is_never_taken_for_a_good_frame_with_other_content()
    {
        Gen.Select(Addresses, Gen.UInt, Gen.Int[0, 15], Gen.Byte[1, 255]).Sample((address, identifier, position, flip) =>
        {
            var buffer = new byte[64];
            int length = Dlt645Request.EncodeReadData(buffer, address, identifier, preambleLength: 0);
            buffer[position % length] ^= flip;

            var frame = Dlt645Framer.Decode(buffer.AsSpan(0, length));
            return frame.Status != MeterDecodeStatus.Complete;
        }, iter: Iterations);
    }

    private static decimal Scale(int decimals)
    {
        decimal scale = 1;
        for (int i = 0; i < decimals; i++)
            scale *= 10;
        return scale;
    }
}
