using System.Buffers.Binary;

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
/// </remarks>
public static class RegisterValueCodec
{
    /// <summary>How many registers a value of <paramref name="type"/> occupies.</summary>
    public static int RegisterCount(RegisterDataType type) => type switch
    {
        RegisterDataType.Int16 or RegisterDataType.UInt16 => 1,
        RegisterDataType.Int32 or RegisterDataType.UInt32 or RegisterDataType.Float32 => 2,
        RegisterDataType.Int64 or RegisterDataType.Float64 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a register data type."),
    };

    /// <summary>
    /// Decodes the value held by the first <see cref="RegisterCount"/> registers of <paramref name="registers"/>.
    /// An Int64 beyond ±2^53 loses its lowest bits to the double.
    /// </summary>
    public static double Decode(ReadOnlySpan<ushort> registers, RegisterDataType type, RegisterOrder order)
    {
        int count = RegisterCount(type);
        CheckOrder(order);
        if (registers.Length < count)
            throw new ArgumentException($"A {type} value needs {count} registers; {registers.Length} were given.", nameof(registers));

        Span<byte> bytes = stackalloc byte[8];
        bytes = bytes[..(2 * count)];
        ToValueBytes(registers[..count], order, bytes);
        return type switch
        {
            RegisterDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            RegisterDataType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            RegisterDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            RegisterDataType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            RegisterDataType.Int64 => BinaryPrimitives.ReadInt64BigEndian(bytes),
            RegisterDataType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            _ => BinaryPrimitives.ReadDoubleBigEndian(bytes),
        };
    }

    /// <summary>
    /// Encodes <paramref name="value"/> into the first <see cref="RegisterCount"/> registers of
    /// <paramref name="destination"/>. Integer types round half away from zero and saturate at their range (a set-point
    /// of 70000 written to an Int16 becomes 32767, not a wrapped 4464); Float32 takes the nearest float.
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
            default:
                BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
                break;
        }

        ToRegisters(bytes, order, destination[..count]);
    }

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
