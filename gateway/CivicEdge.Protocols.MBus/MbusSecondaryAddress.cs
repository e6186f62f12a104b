using System.Buffers.Binary;

namespace CivicEdge.Protocols.MBus;

/// <summary>
/// A secondary address to select a slave by (EN 13757-3 §11.5 selection, CI 52): identification number as eight BCD
/// digits, manufacturer, version and medium. Any digit may be the wildcard F, and manufacturer FFFF, version FF and
/// medium FF match any, so that a master can search a bus digit by digit.
/// </summary>
public readonly record struct MbusSecondaryAddress(string Identification, ushort Manufacturer = 0xFFFF, byte Version = 0xFF, byte Medium = 0xFF)
{
    /// <summary>CI field of a selection telegram (SND_UD to address FD).</summary>
    public const byte SelectionCi = 0x52;

    /// <summary>The primary address a selected slave answers to.</summary>
    public const byte NetworkLayerAddress = 0xFD;

    public const int EncodedLength = 8;

    /// <summary>Reads "12345678" or a pattern such as "1234FFFF" (F or ? for any digit).</summary>
    public static MbusSecondaryAddress Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var digits = pattern.Replace('?', 'F').ToUpperInvariant();
        if (digits.Length != 8 || !digits.All(c => c is (>= '0' and <= '9') or 'F'))
            throw new FormatException($"Expected a secondary address of eight digits 0–9, F or ? (e.g. 1234FFFF), found '{pattern}'.");
        return new MbusSecondaryAddress(digits);
    }

    /// <summary>Writes the 8 bytes after CI 52: identification (BCD, least significant byte first), manufacturer, version, medium.</summary>
    public int Encode(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, EncodedLength, nameof(destination));
        for (int i = 0; i < 4; i++)
        {
            int high = Convert.ToInt32(Identification[6 - (2 * i)].ToString(), 16);
            int low = Convert.ToInt32(Identification[7 - (2 * i)].ToString(), 16);
            destination[i] = (byte)((high << 4) | low);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Manufacturer);
        destination[6] = Version;
        destination[7] = Medium;
        return EncodedLength;
    }

    /// <summary>Whether a slave with this header answers to the pattern.</summary>
    public bool Matches(MbusTelegramHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var id = header.Identification.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 8; i++)
        {
            if (Identification[i] != 'F' && Identification[i] != id[i])
                return false;
        }
        return (Manufacturer == 0xFFFF || MbusManufacturer.Decode(Manufacturer) == header.Manufacturer)
            && (Version == 0xFF || Version == header.Version)
            && (Medium == 0xFF || Medium == header.Medium);
    }

    /// <summary>The pattern with the digit at <paramref name="position"/> (0 = most significant) set to <paramref name="digit"/>.</summary>
    public MbusSecondaryAddress WithDigit(int position, int digit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(digit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digit, 9);
        var chars = Identification.ToCharArray();
        chars[position] = (char)('0' + digit);
        return this with { Identification = new string(chars) };
    }

    public override string ToString() => Identification;
}
