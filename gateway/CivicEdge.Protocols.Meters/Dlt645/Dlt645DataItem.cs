using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>
/// One data item of a meter: its identifier and the standard's data format, e.g. XXXXXX.XX kWh is 4 bytes of BCD with
/// 2 decimals (DL/T 645-2007 Appendix A). A signed item carries its sign in the top bit of the most significant byte
/// (Appendix A, note on direction), the rest of that byte staying BCD.
/// </summary>
/// <param name="Identifier">DI3 DI2 DI1 DI0 as the standard prints it (2007), or DI1 DI0 (1997).</param>
/// <param name="Quantity">What the item measures, e.g. "forward active energy total".</param>
/// <param name="Unit">The unit of the scaled value, e.g. "kWh".</param>
/// <param name="Length">Bytes of the value on the wire.</param>
/// <param name="Decimals">Digits after the decimal point in the format.</param>
/// <param name="Signed">Whether the top bit is the sign.</param>
public sealed record Dlt645DataItem(uint Identifier, string Quantity, string Unit, int Length, int Decimals, bool Signed)
{
    private const byte SignBit = 0x80;

    /// <summary>The largest magnitude the format holds, as an unscaled integer.</summary>
    /// <remarks>A signed item leaves the top bit for the sign: its most significant byte holds 00..79.</remarks>
    public ulong MaxRaw => Signed ? 79 * (PackedBcd.MaxValue(Length - 1) + 1) + PackedBcd.MaxValue(Length - 1) : PackedBcd.MaxValue(Length);

    /// <summary>Decodes a value field; false with a reason when a nibble is not BCD or the field is short.</summary>
    public bool TryDecode(ReadOnlySpan<byte> value, out decimal scaled, [NotNullWhen(false)] out string? reason)
    {
        scaled = 0;
        if (value.Length != Length)
        {
            reason = $"expected {Length} value bytes for {Quantity} ({Identifier:X8}), found {value.Length}";
            return false;
        }

        Span<byte> digits = stackalloc byte[Length];
        value.CopyTo(digits);
        bool negative = Signed && (digits[^1] & SignBit) != 0;
        if (Signed)
            digits[^1] &= unchecked((byte)~SignBit);
        if (!PackedBcd.TryDecode(digits, out var raw, out int at))
        {
            reason = $"expected BCD digits in value byte {at} of {Quantity} ({Identifier:X8}), found {value[at]:X2}H";
            return false;
        }

        scaled = new decimal((int)(raw & 0xFFFFFFFF), (int)(raw >> 32), 0, negative && raw != 0, (byte)Decimals);
        reason = null;
        return true;
    }

    /// <summary>Encodes a value in this item's format, rounding to its decimals.</summary>
    public void Encode(decimal scaled, Span<byte> value)
    {
        if (value.Length < Length)
            throw new ArgumentException($"{Quantity} takes {Length} bytes; the buffer has {value.Length}.", nameof(value));
        if (scaled < 0 && !Signed)
            throw new ArgumentOutOfRangeException(nameof(scaled), scaled, $"{Quantity} is unsigned.");
        var raw = (ulong)decimal.Round(Math.Abs(scaled) * Pow10(Decimals), MidpointRounding.AwayFromZero);
        if (raw > MaxRaw)
            throw new ArgumentOutOfRangeException(nameof(scaled), scaled, $"{Quantity} holds at most {MaxRaw} in units of 10^-{Decimals}.");
        PackedBcd.Encode(raw, value[..Length]);
        if (scaled < 0 && raw != 0)
            value[Length - 1] |= SignBit;
    }

    private static decimal Pow10(int decimals)
    {
        decimal factor = 1;
        for (int i = 0; i < decimals; i++)
            factor *= 10;
        return factor;
    }
}
