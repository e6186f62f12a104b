using CsCheck;

namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>RTU framing against generated frames: whole, in pieces, behind garbage.</summary>
[Category("Unit")]
public sealed class ModbusRtuFramerPropertyTests
{
    private const int Iterations = 300;

    /// <summary>A response ADU of a register read, as a slave at the given address sends it.</summary>
    private static readonly Gen<(byte Unit, byte[] Adu)> Responses =
        Gen.Select(Gen.Byte[1, 247], Gen.UShort.Array[1, ModbusPdu.MaxReadRegisters], (unit, registers) =>
        {
            var adu = new byte[ModbusRtuFramer.MaxAduLength];
            int pduLength = ModbusResponsePdu.EncodeReadRegisters(adu.AsSpan(ModbusRtuFramer.PduOffset), ModbusFunctionCode.ReadHoldingRegisters, registers);
            int length = ModbusRtuFramer.WriteAddressAndCrc(adu, unit, pduLength);
            return (unit, adu[..length]);
        });

    /// <summary>A request ADU of every length-bearing kind, to any address including broadcast.</summary>
    private static readonly Gen<byte[]> Requests =
        Gen.Select(Gen.Byte, Gen.Int[0, 3], Gen.UShort.Array[1, ModbusPdu.MaxReadWriteWriteRegisters], Gen.Bool.Array[1, ModbusPdu.MaxWriteBits], (unit, kind, values, coils) =>
        {
            var pdu = new byte[ModbusPdu.MaxLength];
            int pduLength = kind switch
            {
                0 => ModbusRequestPdu.EncodeWriteMultipleRegisters(pdu, 7, values),
                1 => ModbusRequestPdu.EncodeWriteMultipleCoils(pdu, 7, coils),
                2 => ModbusRequestPdu.EncodeReadWriteMultipleRegisters(pdu, 1, 2, 3, values),
                _ => ModbusRequestPdu.EncodeReadDeviceIdentification(pdu, ModbusReadDeviceIdCode.Regular, 0),
            };
            var adu = new byte[ModbusRtuFramer.MaxAduLength];
            int length = ModbusRtuFramer.Encode(adu, unit, pdu.AsSpan(0, pduLength));
            return adu[..length];
        });

    [Test]
    public void Encoded_responses_frame_whole_and_give_back_their_pdu()
    {
        Responses.Sample(response =>
        {
            var frame = ModbusRtuFramer.FrameResponse(response.Adu, response.Unit, ModbusFunctionCode.ReadHoldingRegisters);
            return frame.Status == ModbusDecodeStatus.Complete && frame.Length == response.Adu.Length
                && frame.UnitId == response.Unit
                && frame.Pdu(response.Adu).SequenceEqual(response.Adu.AsSpan(1, response.Adu.Length - 3));
        }, iter: Iterations);
    }

    [Test]
    public void Encoded_requests_frame_whole()
    {
        Requests.Sample(adu =>
        {
            var frame = ModbusRtuFramer.FrameRequest(adu);
            return frame.Status == ModbusDecodeStatus.Complete && frame.Length == adu.Length && frame.UnitId == adu[0];
        }, iter: Iterations);
    }

    [Test]
    public void Every_prefix_of_a_frame_needs_more_data_and_never_overstates_what_is_missing()
    {
        Gen.Select(Responses, Gen.Int[0, 1000]).Sample((response, cut) =>
        {
            int prefix = cut % response.Adu.Length;
            var frame = ModbusRtuFramer.FrameResponse(response.Adu.AsSpan(0, prefix), response.Unit, ModbusFunctionCode.ReadHoldingRegisters);
            return frame.Status == ModbusDecodeStatus.NeedMoreData && frame.Length > prefix && frame.Length <= response.Adu.Length
                && frame.MoreBytesNeeded == frame.Length - prefix;
        }, iter: Iterations);
    }

    [Test]
    public void Garbage_in_front_of_a_response_is_skipped_byte_for_byte()
    {
        Gen.Select(Responses, Gen.Byte.Array[1, 40]).Sample((response, garbage) =>
        {
            // A first byte that is not the expected unit makes the front malformed at once, as on a real bus.
            garbage[0] = (byte)(response.Unit ^ 0x80);
            byte[] received = [.. garbage, .. response.Adu];
            var front = ModbusRtuFramer.FrameResponse(received, response.Unit, ModbusFunctionCode.ReadHoldingRegisters);
            var resync = ModbusRtuFramer.ResynchroniseResponse(received, response.Unit, ModbusFunctionCode.ReadHoldingRegisters);
            return front.Status == ModbusDecodeStatus.Malformed
                && resync.Found && resync.Skipped == garbage.Length && resync.Frame.Length == response.Adu.Length;
        }, iter: Iterations);
    }

    [Test]
    public void A_corrupted_byte_is_never_framed_as_a_good_frame()
    {
        Gen.Select(Responses, Gen.Int[0, 1000], Gen.Byte[1, 255]).Sample((response, position, flip) =>
        {
            var damaged = response.Adu.ToArray();
            damaged[position % damaged.Length] ^= flip;
            var frame = ModbusRtuFramer.FrameResponse(damaged, response.Unit, ModbusFunctionCode.ReadHoldingRegisters);
            return frame.Status != ModbusDecodeStatus.Complete || frame.Length != damaged.Length || !frame.Pdu(damaged).SequenceEqual(response.Adu.AsSpan(1, response.Adu.Length - 3));
        }, iter: Iterations);
    }

    [Test]
    public void Resynchronisation_picks_the_first_complete_frame_else_the_first_plausible_beginning()
    {
        // Garbage built from frame-like pieces so that candidates of every kind occur.
        var pieces = Gen.OneOf(Responses.Select(r => r.Adu), Requests, Gen.Byte.Array[1, 6], Responses.Select(r => r.Adu[..(r.Adu.Length / 2)]));
        var units = Gen.OneOf(Gen.Const((byte?)null), Gen.Byte[1, 3].Select(b => (byte?)b));
        Gen.Select(pieces.Array[1, 4], units).Sample((parts, unit) =>
        {
            byte[] received = [.. parts.SelectMany(p => p)];
            var expected = NaiveResync(received, unit);
            var actual = ModbusRtuFramer.ResynchroniseResponse(received, unit);
            var requests = ModbusRtuFramer.ResynchroniseRequest(received);
            var expectedRequests = NaiveResync(received, null, requestSide: true);
            return actual.Skipped == expected.Skipped && actual.Frame.Status == expected.Status && actual.Frame.Length == expected.Length
                && requests.Skipped == expectedRequests.Skipped && requests.Frame.Length == expectedRequests.Length;
        }, iter: Iterations);
    }

    private static (int Skipped, ModbusDecodeStatus Status, int Length) NaiveResync(byte[] received, byte? unit, bool requestSide = false)
    {
        (int, ModbusDecodeStatus, int)? plausible = null;
        for (int offset = 1; offset < received.Length; offset++)
        {
            var frame = requestSide ? ModbusRtuFramer.FrameRequest(received.AsSpan(offset)) : ModbusRtuFramer.FrameResponse(received.AsSpan(offset), unit);
            if (frame.Status == ModbusDecodeStatus.Complete)
                return (offset, frame.Status, frame.Length);
            if (frame.Status == ModbusDecodeStatus.NeedMoreData)
                plausible ??= (offset, frame.Status, frame.Length);
        }

        return plausible ?? (received.Length, ModbusDecodeStatus.NeedMoreData, requestSide ? 7 : 5);
    }
}
