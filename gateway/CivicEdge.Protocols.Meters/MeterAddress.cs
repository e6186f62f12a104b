using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters;

/// <summary>
/// A meter address as the standards print it: decimal digits, most significant first, with 'A' for a wildcard nibble
/// (DL/T 645-2007 §4.1.2: AAH bytes address any meter on a point-to-point link; CJ/T 188-2004 §5.3.2 likewise). On the
/// wire it is packed BCD, the least significant byte first: 6 bytes in DL/T 645, 7 in CJ/T 188.
/// </summary>
public readonly record struct MeterAddress
{
    private readonly string? _digits;

    private MeterAddress(string digits) => _digits = digits;

    /// <summary>The digits, most significant first, 'A' where any digit matches.</summary>
    public string Digits => _digits ?? string.Empty;

    /// <summary>How many bytes the address takes on the wire.</summary>
    public int ByteLength => Digits.Length / 2;

    /// <summary>Whether any nibble is the wildcard.</summary>
    public bool HasWildcard => Digits.Contains('A', StringComparison.Ordinal);

    /// <summary>The address that every meter answers: all nibbles AH.</summary>
    public static MeterAddress Wildcard(int byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(byteLength, 1);
        return new MeterAddress(new string('A', 2 * byteLength));
    }

    /// <summary>Parses printed digits (0-9, A or a for a wildcard), left-padding with zeros to <paramref name="byteLength"/> bytes.</summary>
    public static MeterAddress Parse(string digits, int byteLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(byteLength, 1);
        if (digits.Length > 2 * byteLength)
            throw new ArgumentException($"Expected at most {2 * byteLength} digits for a {byteLength}-byte meter address, found {digits.Length} in '{digits}'.", nameof(digits));
        foreach (var c in digits)
        {
            if (c is not (>= '0' and <= '9' or 'A' or 'a'))
                throw new ArgumentException($"Expected decimal digits or 'A' (wildcard) in the meter address, found '{c}' in '{digits}'.", nameof(digits));
        }

        return new MeterAddress(digits.ToUpperInvariant().PadLeft(2 * byteLength, '0'));
    }

    /// <summary>Reads an address field; false with a reason when a nibble is BH..FH.</summary>
    public static bool TryRead(ReadOnlySpan<byte> littleEndian, out MeterAddress address, [NotNullWhen(false)] out string? reason)
    {
        Span<char> digits = stackalloc char[2 * littleEndian.Length];
        for (int i = 0; i < littleEndian.Length; i++)
        {
            var b = littleEndian[i];
            int at = 2 * (littleEndian.Length - 1 - i);
            if (!TryDigit(b >> 4, out digits[at]) || !TryDigit(b & 0x0F, out digits[at + 1]))
            {
                address = default;
                reason = $"expected BCD digits or AH (wildcard) in address byte A{i}, found {b:X2}H";
                return false;
            }
        }

        address = new MeterAddress(new string(digits));
        reason = null;
        return true;
    }

    /// <summary>Writes the address as packed BCD, least significant byte first.</summary>
    public void WriteTo(Span<byte> littleEndian)
    {
        if (littleEndian.Length != ByteLength)
            throw new ArgumentException($"The address {Digits} takes {ByteLength} bytes; the field has {littleEndian.Length}.", nameof(littleEndian));
        for (int i = 0; i < ByteLength; i++)
        {
            int at = 2 * (ByteLength - 1 - i);
            littleEndian[i] = (byte)((Nibble(Digits[at]) << 4) | Nibble(Digits[at + 1]));
        }
    }

    /// <summary>Whether a meter at <paramref name="meter"/> answers a frame sent to this address.</summary>
    public bool Matches(MeterAddress meter)
    {
        if (meter.Digits.Length != Digits.Length)
            return false;
        for (int i = 0; i < Digits.Length; i++)
        {
            if (Digits[i] != 'A' && Digits[i] != meter.Digits[i])
                return false;
        }

        return true;
    }

    public override string ToString() => Digits;

    private static bool TryDigit(int nibble, out char digit)
    {
        digit = nibble switch
        {
            <= 9 => (char)('0' + nibble),
            0xA => 'A',
            _ => '\0',
        };
        return digit != '\0';
    }

    private static int Nibble(char c) => c == 'A' ? 0xA : c - '0';
}
