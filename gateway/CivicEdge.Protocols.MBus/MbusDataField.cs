using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace CivicEdge.Protocols.MBus;

/// <summary>Data field codings of EN 13757-3 Annex A: integer type B, BCD type A, real type H, dates G, F, I and J.</summary>
internal static class MbusDataField
{
    /// <summary>Bytes taken by each DIF data field code (Table 6); −1 for variable length, 0 for none.</summary>
    public static int Length(int code) => code switch
    {
        0x0 or 0x8 => 0,
        0x1 => 1,
        0x2 => 2,
        0x3 => 3,
        0x4 or 0x5 => 4,
        0x6 => 6,
        0x7 => 8,
        0x9 => 1,
        0xA => 2,
        0xB => 3,
        0xC => 4,
        0xD => -1,
        0xE => 6,
        _ => 0,
    };

    public static bool IsBcd(int code) => code is 0x9 or 0xA or 0xB or 0xC or 0xE;

    /// <summary>Type B: signed binary integer, two's complement, least significant byte first.</summary>
    public static long SignedInteger(ReadOnlySpan<byte> data)
    {
        long value = 0;
        for (int i = data.Length - 1; i >= 0; i--)
            value = (value << 8) | data[i];
        int bits = data.Length * 8;
        if (bits < 64 && (value & (1L << (bits - 1))) != 0)
            value -= 1L << bits;
        return value;
    }

    /// <summary>Type A: BCD, least significant byte first; a top nibble F marks a negative number (EN 13757-3 Annex A).</summary>
    public static bool TryBcd(ReadOnlySpan<byte> data, out long value)
    {
        value = 0;
        bool negative = false;
        for (int i = data.Length - 1; i >= 0; i--)
        {
            int high = data[i] >> 4;
            int low = data[i] & 0x0F;
            if (i == data.Length - 1 && high == 0xF)
            {
                negative = true;
                high = 0;
            }
            if (high > 9 || low > 9)
                return false;
            value = (value * 100) + (high * 10) + low;
        }
        if (negative)
            value = -value;
        return true;
    }

    /// <summary>Type H: IEEE 754 single precision, least significant byte first.</summary>
    public static double Real(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadSingleLittleEndian(data);

    /// <summary>Text sent least significant character first, as EN 13757-3 sends ASCII strings (Annex A, LVAR 00–BF).</summary>
    public static string ReversedAscii(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder(data.Length);
        for (int i = data.Length - 1; i >= 0; i--)
            text.Append(data[i] is >= 0x20 and < 0x7F ? (char)data[i] : '?');
        return text.ToString();
    }

    /// <summary>
    /// Date and time types by length: G (2 bytes, date), J (3, time), F (4, date and time to the minute), I (6, to the
    /// second). Returns null for a length no type has. The text keeps what the meter sent, even month 0 or day 0,
    /// because a reader must see "no date set" rather than a date we made up.
    /// </summary>
    public static string? TimePoint(ReadOnlySpan<byte> d)
    {
        var c = CultureInfo.InvariantCulture;
        switch (d.Length)
        {
            case 2:
                return string.Create(c, $"{Year(d[0], d[1]):D4}-{d[1] & 0x0F:D2}-{d[0] & 0x1F:D2}");
            case 3:
                return string.Create(c, $"{d[2] & 0x1F:D2}:{d[1] & 0x3F:D2}:{d[0] & 0x3F:D2}");
            case 4:
                if ((d[0] & 0x80) != 0)
                    return "invalid";
                return string.Create(c, $"{Year(d[2], d[3]):D4}-{d[3] & 0x0F:D2}-{d[2] & 0x1F:D2}T{d[1] & 0x1F:D2}:{d[0] & 0x3F:D2}:00");
            case 6:
                if ((d[1] & 0x80) != 0)
                    return "invalid";
                return string.Create(c, $"{Year(d[3], d[4]):D4}-{d[4] & 0x0F:D2}-{d[3] & 0x1F:D2}T{d[2] & 0x1F:D2}:{d[1] & 0x3F:D2}:{d[0] & 0x3F:D2}");
            default:
                return null;
        }
    }

    /// <summary>
    /// Year of types F, G and I: 7 bits split over two bytes (bits 7–5 of the day byte, 7–4 of the month byte) counting
    /// from 1900; values below 81 are read as 20xx (EN 13757-3 Annex A, note on the century).
    /// </summary>
    private static int Year(byte dayByte, byte monthByte)
    {
        int year = ((dayByte & 0xE0) >> 5) | ((monthByte & 0xF0) >> 1);
        return year < 81 ? 2000 + year : 1900 + year;
    }
}
