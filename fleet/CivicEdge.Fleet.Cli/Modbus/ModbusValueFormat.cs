using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>
/// Turns registers into values and values typed at the terminal into registers, exactly: a 64-bit counter keeps all
/// its digits, and a value that does not fit its type is refused rather than clamped. Modbus fixes only big-endian
/// bytes within one register (Modbus Application Protocol V1.1b3 §4.2); <see cref="RegisterOrder"/> says how the
/// device spreads wider values, as in <see cref="RegisterValueCodec"/>.
/// </summary>
public static class ModbusValueFormat
{
    /// <summary>Registers one value occupies; for <see cref="ModbusValueType.String"/> the caller says how many.</summary>
    public static int RegisterCount(ModbusValueType type) => type switch
    {
        ModbusValueType.UInt16 or ModbusValueType.Int16 or ModbusValueType.Bcd16 or ModbusValueType.String => 1,
        ModbusValueType.UInt32 or ModbusValueType.Int32 or ModbusValueType.Float32 or ModbusValueType.Bcd32 => 2,
        ModbusValueType.Int64 or ModbusValueType.Float64 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a value type."),
    };

    /// <summary>Whether <paramref name="order"/> makes sense for <paramref name="type"/>; strings know no word order.</summary>
    public static bool Supports(ModbusValueType type, RegisterOrder order) =>
        type != ModbusValueType.String || order is RegisterOrder.ABCD or RegisterOrder.BADC;

    /// <summary>Decodes one value from all of <paramref name="registers"/> (a whole string, or one number).</summary>
    public static ModbusValue Decode(ReadOnlySpan<ushort> registers, ModbusValueType type, RegisterOrder order)
    {
        if (type == ModbusValueType.String)
            return new ModbusValue(Text: DecodeString(registers, order));

        int count = RegisterCount(type);
        if (registers.Length != count)
            throw new ArgumentException($"A {type} value needs {count} registers; {registers.Length} were given.", nameof(registers));
        Span<byte> bytes = stackalloc byte[2 * count];
        ToValueBytes(registers, order, bytes);
        return type switch
        {
            ModbusValueType.UInt16 => new ModbusValue(Integer: BinaryPrimitives.ReadUInt16BigEndian(bytes)),
            ModbusValueType.Int16 => new ModbusValue(Integer: BinaryPrimitives.ReadInt16BigEndian(bytes)),
            ModbusValueType.UInt32 => new ModbusValue(Integer: BinaryPrimitives.ReadUInt32BigEndian(bytes)),
            ModbusValueType.Int32 => new ModbusValue(Integer: BinaryPrimitives.ReadInt32BigEndian(bytes)),
            ModbusValueType.Int64 => new ModbusValue(Integer: BinaryPrimitives.ReadInt64BigEndian(bytes)),
            ModbusValueType.Float32 => new ModbusValue(Number: ShortestDouble(BinaryPrimitives.ReadSingleBigEndian(bytes))),
            ModbusValueType.Float64 => new ModbusValue(Number: BinaryPrimitives.ReadDoubleBigEndian(bytes)),
            _ => DecodeBcd(bytes),
        };
    }

    /// <summary>
    /// Encodes the text of one value into registers. Returns null and a message saying what was expected when the text
    /// is not a value of <paramref name="type"/> or does not fit it.
    /// </summary>
    public static ushort[]? TryEncode(string text, ModbusValueType type, RegisterOrder order, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        if (type == ModbusValueType.String)
            return EncodeString(text, order);

        Span<byte> bytes = stackalloc byte[2 * RegisterCount(type)];
        bool ok = type switch
        {
            ModbusValueType.UInt16 => TryInteger(text, ushort.MinValue, ushort.MaxValue, out var v) && Write(bytes, b => BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v)),
            ModbusValueType.Int16 => TryInteger(text, short.MinValue, short.MaxValue, out var v) && Write(bytes, b => BinaryPrimitives.WriteInt16BigEndian(b, (short)v)),
            ModbusValueType.UInt32 => TryInteger(text, uint.MinValue, uint.MaxValue, out var v) && Write(bytes, b => BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v)),
            ModbusValueType.Int32 => TryInteger(text, int.MinValue, int.MaxValue, out var v) && Write(bytes, b => BinaryPrimitives.WriteInt32BigEndian(b, (int)v)),
            ModbusValueType.Int64 => TryInteger(text, long.MinValue, long.MaxValue, out var v) && Write(bytes, b => BinaryPrimitives.WriteInt64BigEndian(b, v)),
            ModbusValueType.Float32 => TryFloat(text, out var f) && float.IsFinite((float)f) == double.IsFinite(f) && Write(bytes, b => BinaryPrimitives.WriteSingleBigEndian(b, (float)f)),
            ModbusValueType.Float64 => TryFloat(text, out var f) && Write(bytes, b => BinaryPrimitives.WriteDoubleBigEndian(b, f)),
            ModbusValueType.Bcd16 => TryBcd(text, 4, out var digits) && Write(bytes, b => BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)digits)),
            _ => TryBcd(text, 8, out var digits) && Write(bytes, b => BinaryPrimitives.WriteUInt32BigEndian(b, digits)),
        };
        if (!ok)
        {
            problem = $"expected {Describe(type)}; found '{text}'";
            return null;
        }

        var registers = new ushort[RegisterCount(type)];
        ToRegisters(bytes, order, registers);
        return registers;
    }

    /// <summary>The registers as the hex words they are on the wire, e.g. <c>4148 0000</c>.</summary>
    public static string Hex(ReadOnlySpan<ushort> registers)
    {
        var text = new StringBuilder(registers.Length * 5);
        foreach (var register in registers)
            text.Append(text.Length > 0 ? " " : "").Append(register.ToString("X4", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for error messages.</summary>
    public static string Describe(ModbusValueType type) => type switch
    {
        ModbusValueType.UInt16 => "a uint16 (0..65535, decimal or 0x hex)",
        ModbusValueType.Int16 => "an int16 (-32768..32767, decimal or 0x hex)",
        ModbusValueType.UInt32 => "a uint32 (0..4294967295, decimal or 0x hex)",
        ModbusValueType.Int32 => "an int32 (-2147483648..2147483647, decimal or 0x hex)",
        ModbusValueType.Int64 => "an int64 (decimal or 0x hex)",
        ModbusValueType.Float32 => "a float32 number within ±3.4e38 such as 12.5",
        ModbusValueType.Float64 => "a float64 number such as 12.5",
        ModbusValueType.Bcd16 => "up to 4 decimal digits (bcd16)",
        ModbusValueType.Bcd32 => "up to 8 decimal digits (bcd32)",
        _ => "a text",
    };

    /// <summary>
    /// The float as the double of its shortest round-trip decimal: 228.61351 rather than 228.61351013183594, which is
    /// the same float but digits the device never meant.
    /// </summary>
    private static double ShortestDouble(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    private delegate void ByteWriter(Span<byte> bytes);

    private static bool Write(Span<byte> bytes, ByteWriter write)
    {
        write(bytes);
        return true;
    }

    private static bool TryInteger(string text, long min, long max, out long value)
    {
        value = 0;
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        bool parsed;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // Hex is the bit pattern as a device manual shows it: 0xFFFF is -1 for an int16, within the type's width.
            parsed = ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)
                && !negative && FitsWidth(bits, min, max);
            if (parsed)
                value = min < 0 ? SignExtend(bits, max) : (long)bits;
            return parsed;
        }

        parsed = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        return parsed && value >= min && value <= max;
    }

    private static bool FitsWidth(ulong bits, long min, long max) =>
        min < 0 ? bits <= ((ulong)max << 1) + 1 : bits <= (ulong)max;

    private static long SignExtend(ulong bits, long max) =>
        bits > (ulong)max ? (long)(bits - (((ulong)max << 1) + 1)) - 1 : (long)bits;

    private static bool TryFloat(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryBcd(string text, int maxDigits, out uint packed)
    {
        packed = 0;
        if (text.Length is 0 || text.Length > maxDigits)
            return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
                return false;
            packed = (packed << 4) | (uint)(c - '0');
        }
        return true;
    }

    private static ModbusValue DecodeBcd(ReadOnlySpan<byte> bytes)
    {
        long value = 0;
        for (int i = 0; i < 2 * bytes.Length; i++)
        {
            int nibble = i % 2 == 0 ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0F;
            if (nibble > 9)
                return new ModbusValue(Problem: $"not BCD: digit {i + 1} of {2 * bytes.Length} is 0x{nibble:X}");
            value = value * 10 + nibble;
        }
        return new ModbusValue(Integer: value);
    }

    private static string DecodeString(ReadOnlySpan<ushort> registers, RegisterOrder order)
    {
        var text = new StringBuilder(2 * registers.Length);
        foreach (var register in registers)
        {
            var word = order == RegisterOrder.BADC ? BinaryPrimitives.ReverseEndianness(register) : register;
            foreach (var b in (ReadOnlySpan<byte>)[(byte)(word >> 8), (byte)word])
            {
                // Devices pad names with NUL; anything unprintable is shown as a dot rather than sent to the terminal.
                if (b == 0)
                    return text.ToString().TrimEnd();
                text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }
        }
        return text.ToString().TrimEnd();
    }

    private static ushort[] EncodeString(string text, RegisterOrder order)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var registers = new ushort[Math.Max(1, (bytes.Length + 1) / 2)];
        for (int i = 0; i < registers.Length; i++)
        {
            var word = (ushort)((At(bytes, 2 * i) << 8) | At(bytes, 2 * i + 1));
            registers[i] = order == RegisterOrder.BADC ? BinaryPrimitives.ReverseEndianness(word) : word;
        }
        return registers;

        static byte At(byte[] bytes, int index) => index < bytes.Length ? bytes[index] : (byte)0;
    }

    private static void ToValueBytes(ReadOnlySpan<ushort> registers, RegisterOrder order, Span<byte> bytes)
    {
        for (int i = 0; i < registers.Length; i++)
        {
            var register = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(registers[i]) : registers[i];
            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * WordOf(i, registers.Length, order))..], register);
        }
    }

    private static void ToRegisters(ReadOnlySpan<byte> bytes, RegisterOrder order, Span<ushort> registers)
    {
        for (int i = 0; i < registers.Length; i++)
        {
            var register = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * WordOf(i, registers.Length, order))..]);
            registers[i] = SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(register) : register;
        }
    }

    /// <summary>Which word of the value (0 = most significant) travels in register <paramref name="index"/>.</summary>
    private static int WordOf(int index, int count, RegisterOrder order) =>
        order is RegisterOrder.CDAB or RegisterOrder.DCBA ? count - 1 - index : index;

    private static bool SwapsBytes(RegisterOrder order) => order is RegisterOrder.BADC or RegisterOrder.DCBA;
}
