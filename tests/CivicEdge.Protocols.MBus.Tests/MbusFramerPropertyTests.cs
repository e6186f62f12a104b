using CsCheck;

namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>Link and application layer against generated input: round trips, every prefix, and arbitrary bytes.</summary>
[Category("Unit")]
public sealed class MbusFramerPropertyTests
{
    private const int Iterations = 500;

    private static readonly Gen<(byte Control, byte Address, byte Ci, byte[] Data)> LongFrames =
        Gen.Select(Gen.Byte, Gen.Byte, Gen.Byte, Gen.Byte.Array[0, 252]);

    [Test]
    public void Encoded_long_frames_decode_to_what_was_encoded()
    {
        LongFrames.Sample(f =>
        {
            var buffer = new byte[MbusFramer.MaxFrameLength];
            int length = MbusFramer.EncodeLong(buffer, f.Control, f.Address, f.Ci, f.Data);
            var frame = MbusFramer.Decode(buffer.AsSpan(0, length));
            return frame.Status == MbusDecodeStatus.Complete && frame.Length == length && frame.Control == f.Control
                && frame.Address == f.Address && frame.ControlInformation == f.Ci && frame.UserData(buffer).SequenceEqual(f.Data);
        }, iter: Iterations);
    }

    [Test]
    public void Every_proper_prefix_of_a_long_frame_needs_more_data()
    {
        Gen.Select(LongFrames, Gen.Int[0, 1000]).Sample((f, cut) =>
        {
            var buffer = new byte[MbusFramer.MaxFrameLength];
            int length = MbusFramer.EncodeLong(buffer, f.Control, f.Address, f.Ci, f.Data);
            return MbusFramer.Decode(buffer.AsSpan(0, cut % length)).Status == MbusDecodeStatus.NeedMoreData;
        }, iter: Iterations);
    }

    [Test]
    public void A_single_flipped_bit_in_a_long_frame_never_passes_as_the_same_frame()
    {
        Gen.Select(LongFrames, Gen.Int[0, 10_000], Gen.Int[0, 7]).Sample((f, at, bit) =>
        {
            var buffer = new byte[MbusFramer.MaxFrameLength];
            int length = MbusFramer.EncodeLong(buffer, f.Control, f.Address, f.Ci, f.Data);
            buffer[at % length] ^= (byte)(1 << bit);
            var frame = MbusFramer.Decode(buffer.AsSpan(0, length));
            return frame.Status != MbusDecodeStatus.Complete || frame.Length != length;
        }, iter: Iterations);
    }

    [Test]
    public void Arbitrary_application_data_decodes_or_fails_with_a_reason_and_never_throws()
    {
        Gen.Select(Gen.Int[0, 4].Select(i => (byte)(i switch { 0 => 0x72, 1 => 0x78, 2 => 0x7A, 3 => 0x73, _ => 0x70 })), Gen.Byte.Array[0, 252]).Sample((ci, data) =>
        {
            var telegram = MbusApplicationDecoder.Decode([ci, .. data]);
            return telegram.Error is null || (telegram.Error.Length > 0 && telegram.ErrorOffset <= data.Length + 1);
        }, iter: 5 * Iterations);
    }
}
