using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>The requests a master sends (DL/T 645-2007 §6; 1997 §5), written as whole frames.</summary>
public static class Dlt645Request
{
    /// <summary>Read data (11H): the data field is DI0..DI3, least significant byte first (§6.2).</summary>
    public static int EncodeReadData(Span<byte> destination, MeterAddress address, uint identifier, int preambleLength = Dlt645Framer.DefaultPreambleLength)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, identifier);
        return Dlt645Framer.Encode(destination, address, Dlt645Control.Request(Dlt645Function.ReadData), data, preambleLength);
    }

    /// <summary>1997 read data (01H): the data field is DI0 DI1.</summary>
    public static int EncodeReadData1997(Span<byte> destination, MeterAddress address, ushort identifier, int preambleLength = Dlt645Framer.DefaultPreambleLength)
    {
        Span<byte> data = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(data, identifier);
        return Dlt645Framer.Encode(destination, address, Dlt645Control.Request(Dlt645Function.ReadData1997), data, preambleLength);
    }

    /// <summary>Read address (13H) to the wildcard address AAAAAAAAAAAA: only for a single meter on the line (§6.8).</summary>
    public static int EncodeReadAddress(Span<byte> destination, int preambleLength = Dlt645Framer.DefaultPreambleLength) =>
        Dlt645Framer.Encode(destination, MeterAddress.Wildcard(Dlt645Framer.AddressLength), Dlt645Control.Request(Dlt645Function.ReadAddress), [], preambleLength);

    /// <summary>Broadcast time (08H) to 999999999999: ss mm hh DD MM YY in BCD (§6.1); no meter answers.</summary>
    public static int EncodeBroadcastTime(Span<byte> destination, DateTime localTime, int preambleLength = Dlt645Framer.DefaultPreambleLength)
    {
        if (localTime.Year is < 2000 or > 2099)
            throw new ArgumentOutOfRangeException(nameof(localTime), localTime, "DL/T 645 sends a two-digit year: 2000..2099.");
        Span<byte> data =
        [
            PackedBcd.ToByte(localTime.Second), PackedBcd.ToByte(localTime.Minute), PackedBcd.ToByte(localTime.Hour),
            PackedBcd.ToByte(localTime.Day), PackedBcd.ToByte(localTime.Month), PackedBcd.ToByte(localTime.Year - 2000),
        ];
        return Dlt645Framer.Encode(destination, Dlt645Framer.BroadcastAddress, Dlt645Control.Request(Dlt645Function.BroadcastTime), data, preambleLength);
    }

    /// <summary>Reads the time out of a broadcast time frame, as a meter or simulator receives it.</summary>
    public static bool TryDecodeBroadcastTime(ReadOnlySpan<byte> data, out DateTime localTime, [NotNullWhen(false)] out string? reason)
    {
        localTime = default;
        if (data.Length != 6)
        {
            reason = $"expected 6 data bytes (ss mm hh DD MM YY) in a broadcast time frame, found {data.Length}";
            return false;
        }

        Span<int> fields = stackalloc int[6];
        for (int i = 0; i < 6; i++)
        {
            if (!PackedBcd.TryDecode(data.Slice(i, 1), out var field, out _))
            {
                reason = $"expected BCD in byte {i} of the broadcast time, found {data[i]:X2}H";
                return false;
            }

            fields[i] = (int)field;
        }

        if (fields[0] > 59 || fields[1] > 59 || fields[2] > 23 || fields[4] is < 1 or > 12 || fields[3] < 1 || fields[3] > DateTime.DaysInMonth(2000 + fields[5], fields[4]))
        {
            reason = $"expected a valid date and time, found 20{fields[5]:D2}-{fields[4]:D2}-{fields[3]:D2} {fields[2]:D2}:{fields[1]:D2}:{fields[0]:D2}";
            return false;
        }

        localTime = new DateTime(2000 + fields[5], fields[4], fields[3], fields[2], fields[1], fields[0], DateTimeKind.Unspecified);
        reason = null;
        return true;
    }

    /// <summary>
    /// Reads the identifier of a read data request, as a meter or simulator receives it. A 2007 request may carry more
    /// after DI3..DI0 (a block count, a load-profile time, §6.2); the identifier is the first four bytes.
    /// </summary>
    public static bool TryDecodeReadData(
        Dlt645Frame frame, ReadOnlySpan<byte> received, Dlt645Version version, out uint identifier, [NotNullWhen(false)] out string? reason)
    {
        if (frame.Status != MeterDecodeStatus.Complete)
            throw new ArgumentException($"Only a complete frame holds a request; this one is {frame.Status}.", nameof(frame));
        identifier = 0;
        var expected = version == Dlt645Version.V2007 ? Dlt645Function.ReadData : Dlt645Function.ReadData1997;
        int idLength = version == Dlt645Version.V2007 ? 4 : 2;
        if (frame.Control.IsResponse || frame.Control.Function != expected)
        {
            reason = $"expected a read data request (control {(byte)expected:X2}H), found control {frame.Control.Value:X2}H";
            return false;
        }

        Span<byte> data = stackalloc byte[Dlt645Framer.MaxDataLength];
        int length = frame.CopyData(received, data);
        if (length < idLength)
        {
            reason = $"expected a {idLength}-byte data identifier in the read request, found {length} bytes";
            return false;
        }

        identifier = idLength == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data);
        reason = null;
        return true;
    }
}
