using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Turns engineering values into registers and back. Modbus fixes only that a register goes on the wire high byte
/// first (Modbus Application Protocol V1.1b3 §4.2); how a wider value spreads over several registers is up to the
/// device, hence <see cref="RegisterOrder"/>.
/// </summary>
/// <remarks>
/// The value's big-endian bytes are A B C D (E F G H for 64-bit types). <see cref="RegisterOrder.ABCD"/> sends the
/// words in that order; <see cref="RegisterOrder.CDAB"/> reverses the order of all words (GH EF CD AB for 64-bit);
/// <see cref="RegisterOrder.BADC"/> swaps the two bytes inside every word; <see cref="RegisterOrder.DCBA"/> does both,
/// which is the value little-endian. A one-register value has one word, so only the byte swap can apply.
/// BCD values are laid out the same way, their bytes holding two decimal digits each, most significant nibble first.
/// </remarks>
public static class RegisterValueCodec
{
    /// <summary>How many registers a value of <paramref name="type"/> occupies.</summary>
    public static int RegisterCount(RegisterDataType type) => type switch
    {
        RegisterDataType.Int16 or RegisterDataType.UInt16 or RegisterDataType.Bcd16 => 1,
        RegisterDataType.Int32 or RegisterDataType.UInt32 or RegisterDataType.Float32 or RegisterDataType.Bcd32 => 2,
        RegisterDataType.Int64 or RegisterDataType.Float64 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a register data type."),
    };

    /// <summary>
    /// Decodes the value held by the first <see cref="RegisterCount"/> registers of <paramref name="registers"/>.
    /// An Int64 beyond ±2^53 loses its lowest bits to the double. A BCD register holding a nibble above 9 decodes to
    /// NaN rather than to a wrong number; <see cref="TryDecode"/> says which nibble.
    /// </summary>
    public static double Decode(ReadOnlySpan<ushort> registers, RegisterDataType type, RegisterOrder order) =>
        TryDecode(registers, type, order, out var value, out _) ? value : double.NaN;

    /// <summary>
    /// Decodes like <see cref="Decode"/>, and returns false with a reason when the registers hold no value of
    /// <paramref name="type"/>: a BCD nibble above 9.
    /// </summary>
    public static bool TryDecode(
        ReadOnlySpan<ushort> registers, RegisterDataType type, RegisterOrder order, out double value, [NotNullWhen(false)] out string? reason)
    {
        int count = RegisterCount(type);
        CheckOrder(order);
        if (registers.Length < count)
            throw new ArgumentException($"A {type} value needs {count} registers; {registers.Length} were given.", nameof(registers));

        Span<byte> bytes = stackalloc byte[8];
        bytes = bytes[..(2 * count)];
        ToValueBytes(registers[..count], order, bytes);
        reason = null;
        switch (type)
        {
            case RegisterDataType.Bcd16 or RegisterDataType.Bcd32:
                return TryDecodeBcd(bytes, out value, out reason);
            case RegisterDataType.Int16:
                value = BinaryPrimitives.ReadInt16BigEndian(bytes);
                break;
            case RegisterDataType.UInt16:
                value = BinaryPrimitives.ReadUInt16BigEndian(bytes);
                break;
            case RegisterDataType.Int32:
                value = BinaryPrimitives.ReadInt32BigEndian(bytes);
                break;
            case RegisterDataType.UInt32:
                value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
                break;
            case RegisterDataType.Int64:
                value = BinaryPrimitives.ReadInt64BigEndian(bytes);
                break;
            case RegisterDataType.Float32:
                value = BinaryPrimitives.ReadSingleBigEndian(bytes);
                break;
            default:
                value = BinaryPrimitives.ReadDoubleBigEndian(bytes);
                break;
        }

        return true;
    }

    /// <summary>
    /// Reads <paramref name="width"/> bits of <paramref name="register"/> starting at bit <paramref name="bitOffset"/>
    /// (0 = least significant), as devices pack status flags and small counters into one register.
    /// </summary>
    public static int DecodeBitField(ushort register, int bitOffset, int width)
    {
        CheckBitField(bitOffset, width);
        return (register >> bitOffset) & FieldMask(width);
    }

    /// <summary>Returns <paramref name="register"/> with the bit field replaced by <paramref name="value"/>, the other bits kept.</summary>
    public static ushort EncodeBitField(ushort register, int bitOffset, int width, int value)
    {
        CheckBitField(bitOffset, width);
        int mask = FieldMask(width);
        if (value < 0 || value > mask)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A {width}-bit field holds 0..{mask}.");
        return (ushort)((register & ~(mask << bitOffset)) | (value << bitOffset));
    }

    /// <summary>
    /// Decodes text held two ASCII characters per register, the first in the high byte (or the low byte with
    /// <paramref name="swapBytes"/>, as some devices store it). The text ends at the first NUL; trailing spaces are
    /// padding and trimmed. Bytes outside ASCII become '?'.
    /// </summary>
    public static string DecodeString(ReadOnlySpan<ushort> registers, bool swapBytes = false)
    {
        Span<byte> bytes = registers.Length <= 128 ? stackalloc byte[2 * registers.Length] : new byte[2 * registers.Length];
        for (int i = 0; i < registers.Length; i++)
        {
            var register = swapBytes ? BinaryPrimitives.ReverseEndianness(registers[i]) : registers[i];
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * i)..], register);
        }

        int end = bytes.IndexOf((byte)0);
        var text = end < 0 ? bytes : bytes[..end];
        return Encoding.ASCII.GetString(text.TrimEnd((byte)' '));
    }

    /// <summary>
    /// Encodes ASCII <paramref name="text"/> into all of <paramref name="destination"/>, two characters per register in
    /// the layout <see cref="DecodeString"/> reads, padded with NULs.
    /// </summary>
    /// <exception cref="ArgumentException">Text longer than the registers hold, or not ASCII.</exception>
    public static void EncodeString(string text, Span<ushort> destination, bool swapBytes = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 2 * destination.Length)
            throw new ArgumentException($"\"{text}\" has {text.Length} characters; {destination.Length} registers hold {2 * destination.Length}.", nameof(text));
        int nonAscii = text.AsSpan().IndexOfAnyExceptInRange('\0', '\x7F');
        if (nonAscii >= 0)
            throw new ArgumentException($"\"{text}\" has a non-ASCII character '{text[nonAscii]}' at index {nonAscii}.", nameof(text));

        for (int i = 0; i < destination.Length; i++)
        {
            int high = 2 * i < text.Length ? text[2 * i] : 0;
            int low = (2 * i) + 1 < text.Length ? text[(2 * i) + 1] : 0;
            var register = (ushort)((high << 8) | low);
            destination[i] = swapBytes ? BinaryPrimitives.ReverseEndianness(register) : register;
        }
    }

    /// <summary>
    /// Encodes <paramref name="value"/> into the first <see cref="RegisterCount"/> registers of
    /// <paramref name="destination"/>. Integer and BCD types round half away from zero and saturate at their range (a
    /// set-point of 70000 written to an Int16 becomes 32767, not a wrapped 4464; -5 as BCD becomes 0); Float32 takes the
    /// nearest float.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">NaN into an integer type, which has no such value.</exception>
    public static void Encode(double value, RegisterDataType type, RegisterOrder order, Span<ushort> destination)
    {
        int count = RegisterCount(type);
        CheckOrder(order);
        if (destination.Length < count)
            throw new ArgumentException($"A {type} value needs {count} registers; the destination has {destination.Length}.", nameof(destination));
        if (double.IsNaN(value) && type is not (RegisterDataType.Float32 or RegisterDataType.Float64))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"NaN has no {type} representation.");

        Span<byte> bytes = stackalloc byte[8];
        bytes = bytes[..(2 * count)];
        switch (type)
        {
            case RegisterDataType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bytes, (short)RoundAndClamp(value, short.MinValue, short.MaxValue));
                break;
            case RegisterDataType.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)RoundAndClamp(value, ushort.MinValue, ushort.MaxValue));
                break;
            case RegisterDataType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bytes, (int)RoundAndClamp(value, int.MinValue, int.MaxValue));
                break;
            case RegisterDataType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)RoundAndClamp(value, uint.MinValue, uint.MaxValue));
                break;
            case RegisterDataType.Int64:
                BinaryPrimitives.WriteInt64BigEndian(bytes, RoundToInt64(value));
                break;
            case RegisterDataType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bytes, (float)value);
                break;
            case RegisterDataType.Bcd16:
                WriteBcd(bytes, (uint)RoundAndClamp(value, 0, MaxBcd16));
                break;
            case RegisterDataType.Bcd32:
                WriteBcd(bytes, (uint)RoundAndClamp(value, 0, MaxBcd32));
                break;
            default:
                BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
                break;
        }

        ToRegisters(bytes, order, destination[..count]);
    }

    private const int MaxBcd16 = 9999;
    private const int MaxBcd32 = 99_999_999;

    private static bool TryDecodeBcd(ReadOnlySpan<byte> bytes, out double value, [NotNullWhen(false)] out string? reason)
    {
        uint digits = 0;
        for (int nibble = 0; nibble < 2 * bytes.Length; nibble++)
        {
            int digit = (nibble & 1) == 0 ? bytes[nibble >> 1] >> 4 : bytes[nibble >> 1] & 0x0F;
            if (digit > 9)
            {
                value = double.NaN;
                reason = $"expected BCD digits 0..9, found 0x{digit:X} as digit {nibble + 1} of {2 * bytes.Length} in 0x{Convert.ToHexString(bytes)}";
                return false;
            }

            digits = (digits * 10) + (uint)digit;
        }

        value = digits;
        reason = null;
        return true;
    }

    private static void WriteBcd(Span<byte> bytes, uint value)
    {
        for (int nibble = (2 * bytes.Length) - 1; nibble >= 0; nibble--)
        {
            var digit = (byte)(value % 10);
            value /= 10;
            bytes[nibble >> 1] = (nibble & 1) == 0 ? (byte)((bytes[nibble >> 1] & 0x0F) | (digit << 4)) : (byte)((bytes[nibble >> 1] & 0xF0) | digit);
        }
    }

    private static void CheckBitField(int bitOffset, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bitOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (bitOffset + width > 16)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"A bit field at offset {bitOffset} of a 16-bit register is at most {16 - bitOffset} bits wide.");
    }

    private static int FieldMask(int width) => (1 << width) - 1;

    private static double RoundAndClamp(double value, double min, double max) =>
        Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), min, max);

    private static long RoundToInt64(double value)
    {
        // long.MaxValue is not a double; 2^63 is the first double past it, so compare against that bound.
        const double TwoToThe63 = 9223372036854775808.0;
        var rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        if (rounded >= TwoToThe63)
            return long.MaxValue;
        return rounded <= -TwoToThe63 ? long.MinValue : (long)rounded;
    }

    private static void ToValueBytes(ReadOnlySpan<ushort> registers, RegisterOrder order, Span<byte> bytes)
    {
        for (int i = 0; i < registers.Length; i++)
        {
            int word = WordOf(i, registers.Length, order);
            var register = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(registers[i]) : registers[i];
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * word)..], register);
        }
    }

    private static void ToRegisters(ReadOnlySpan<byte> bytes, RegisterOrder order, Span<ushort> registers)
    {
        for (int i = 0; i < registers.Length; i++)
        {
            int word = WordOf(i, registers.Length, order);
            var register = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * word)..]);
            registers[i] = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(register) : register;
        }
    }

    /// <summary>Which word of the value (0 = most significant) travels in register <paramref name="index"/>.</summary>
    private static int WordOf(int index, int count, RegisterOrder order) =>
        order is RegisterOrder.CDAB or RegisterOrder.DCBA ? count - 1 - index : index;

    private static bool SwapsBytes(RegisterOrder order) => order is RegisterOrder.BADC or RegisterOrder.DCBA;

    private static void CheckOrder(RegisterOrder order)
    {
        if (order is not (RegisterOrder.ABCD or RegisterOrder.CDAB or RegisterOrder.BADC or RegisterOrder.DCBA))
            throw new ArgumentOutOfRangeException(nameof(order), order, "Not a register order.");
    }
}
