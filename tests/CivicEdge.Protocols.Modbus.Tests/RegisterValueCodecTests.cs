using CsCheck;

namespace CivicEdge.Protocols.Modbus.Tests;

[Category("Unit")]
public sealed class RegisterValueCodecTests
{
    private static readonly RegisterOrder[] Orders = Enum.GetValues<RegisterOrder>();

    [TestCase(RegisterDataType.Int16, 1)]
    [TestCase(RegisterDataType.UInt16, 1)]
    [TestCase(RegisterDataType.Int32, 2)]
    [TestCase(RegisterDataType.UInt32, 2)]
    [TestCase(RegisterDataType.Float32, 2)]
    [TestCase(RegisterDataType.Int64, 4)]
    [TestCase(RegisterDataType.Float64, 4)]
    public void RegisterCount_gives_the_registers_a_type_occupies(RegisterDataType type, int count)
    {
        Assert.That(RegisterValueCodec.RegisterCount(type), Is.EqualTo(count));
    }

    // 230.0 as float32 is 0x43660000: A=43 B=66 C=00 D=00.
    [TestCase(RegisterDataType.Float32, RegisterOrder.ABCD, 230.0, "4366 0000")]
    [TestCase(RegisterDataType.Float32, RegisterOrder.CDAB, 230.0, "0000 4366")]
    [TestCase(RegisterDataType.Float32, RegisterOrder.BADC, 230.0, "6643 0000")]
    [TestCase(RegisterDataType.Float32, RegisterOrder.DCBA, 230.0, "0000 6643")]
    [TestCase(RegisterDataType.Int32, RegisterOrder.ABCD, 0x12345678, "1234 5678")]
    [TestCase(RegisterDataType.Int32, RegisterOrder.CDAB, 0x12345678, "5678 1234")]
    [TestCase(RegisterDataType.Int32, RegisterOrder.BADC, 0x12345678, "3412 7856")]
    [TestCase(RegisterDataType.Int32, RegisterOrder.DCBA, 0x12345678, "7856 3412")]
    [TestCase(RegisterDataType.Int32, RegisterOrder.ABCD, -2, "FFFF FFFE")]
    [TestCase(RegisterDataType.UInt32, RegisterOrder.ABCD, 4294967295, "FFFF FFFF")]
    [TestCase(RegisterDataType.Int16, RegisterOrder.ABCD, -2, "FFFE")]
    [TestCase(RegisterDataType.UInt16, RegisterOrder.ABCD, 0x1234, "1234")]
    [TestCase(RegisterDataType.UInt16, RegisterOrder.CDAB, 0x1234, "1234")]
    [TestCase(RegisterDataType.UInt16, RegisterOrder.BADC, 0x1234, "3412")]
    [TestCase(RegisterDataType.UInt16, RegisterOrder.DCBA, 0x1234, "3412")]
    // 0x0001020304050607 is below 2^53, so the double holds it exactly.
    [TestCase(RegisterDataType.Int64, RegisterOrder.ABCD, 0x0001020304050607, "0001 0203 0405 0607")]
    [TestCase(RegisterDataType.Int64, RegisterOrder.CDAB, 0x0001020304050607, "0607 0405 0203 0001")]
    [TestCase(RegisterDataType.Int64, RegisterOrder.BADC, 0x0001020304050607, "0100 0302 0504 0706")]
    [TestCase(RegisterDataType.Int64, RegisterOrder.DCBA, 0x0001020304050607, "0706 0504 0302 0100")]
    [TestCase(RegisterDataType.Float64, RegisterOrder.ABCD, 1.0, "3FF0 0000 0000 0000")]
    [TestCase(RegisterDataType.Float64, RegisterOrder.DCBA, 1.0, "0000 0000 0000 F03F")]
    public void Encode_and_Decode_agree_with_fixed_vectors(RegisterDataType type, RegisterOrder order, double value, string registers)
    {
        var expected = registers.Split(' ').Select(r => Convert.ToUInt16(r, 16)).ToArray();
        var encoded = new ushort[expected.Length];

        RegisterValueCodec.Encode(value, type, order, encoded);

        Assert.That(encoded.Select(r => r.ToString("X4")), Is.EqualTo(expected.Select(r => r.ToString("X4"))));
        Assert.That(RegisterValueCodec.Decode(expected, type, order), Is.EqualTo(value));
    }

    [Test]
    public void Every_type_round_trips_in_every_order()
    {
        var cases = new (RegisterDataType Type, Gen<double> Values)[]
        {
            (RegisterDataType.Int16, Gen.Short.Select(v => (double)v)),
            (RegisterDataType.UInt16, Gen.UShort.Select(v => (double)v)),
            (RegisterDataType.Int32, Gen.Int.Select(v => (double)v)),
            (RegisterDataType.UInt32, Gen.UInt.Select(v => (double)v)),
            (RegisterDataType.Int64, Gen.Long[-(1L << 53), 1L << 53].Select(v => (double)v)),
            (RegisterDataType.Float32, Gen.Float.Where(float.IsFinite).Select(v => (double)v)),
            (RegisterDataType.Float64, Gen.Double.Where(double.IsFinite)),
            (RegisterDataType.Bcd16, Gen.Int[0, 9999].Select(v => (double)v)),
            (RegisterDataType.Bcd32, Gen.Int[0, 99_999_999].Select(v => (double)v)),
        };

        foreach (var (type, values) in cases)
        {
            foreach (var order in Orders)
            {
                values.Sample(value =>
                {
                    var registers = new ushort[RegisterValueCodec.RegisterCount(type)];
                    RegisterValueCodec.Encode(value, type, order, registers);
                    return RegisterValueCodec.Decode(registers, type, order).Equals(value);
                }, iter: 200);
            }
        }
    }

    [Test]
    public void The_four_orders_of_a_multi_register_value_differ_on_the_wire()
    {
        var seen = Orders.Select(order =>
        {
            var registers = new ushort[2];
            RegisterValueCodec.Encode(0x12345678, RegisterDataType.UInt32, order, registers);
            return $"{registers[0]:X4}{registers[1]:X4}";
        });

        Assert.That(seen, Is.Unique);
    }

    [TestCase(RegisterDataType.Int16, 70000, 32767)]
    [TestCase(RegisterDataType.Int16, -70000, -32768)]
    [TestCase(RegisterDataType.UInt16, -5, 0)]
    [TestCase(RegisterDataType.UInt16, 1e9, 65535)]
    [TestCase(RegisterDataType.Int32, 1e12, int.MaxValue)]
    [TestCase(RegisterDataType.UInt32, -1, 0)]
    [TestCase(RegisterDataType.UInt32, double.PositiveInfinity, uint.MaxValue)]
    [TestCase(RegisterDataType.Int64, 1e30, long.MaxValue)]
    [TestCase(RegisterDataType.Int64, double.NegativeInfinity, long.MinValue)]
    public void Encode_saturates_integers_at_the_range_of_their_type(RegisterDataType type, double value, double stored)
    {
        var registers = new ushort[4];

        RegisterValueCodec.Encode(value, type, RegisterOrder.ABCD, registers);

        Assert.That(RegisterValueCodec.Decode(registers, type, RegisterOrder.ABCD), Is.EqualTo(stored));
    }

    [TestCase(2.5, 3)]
    [TestCase(-2.5, -3)]
    [TestCase(2.4999, 2)]
    [TestCase(229.6, 230)]
    public void Encode_rounds_integers_half_away_from_zero(double value, double stored)
    {
        var registers = new ushort[2];

        RegisterValueCodec.Encode(value, RegisterDataType.Int32, RegisterOrder.CDAB, registers);

        Assert.That(RegisterValueCodec.Decode(registers, RegisterDataType.Int32, RegisterOrder.CDAB), Is.EqualTo(stored));
    }

    [TestCase(RegisterDataType.Int16)]
    [TestCase(RegisterDataType.UInt32)]
    [TestCase(RegisterDataType.Int64)]
    public void Encode_refuses_NaN_for_an_integer_type(RegisterDataType type)
    {
        Assert.That(() => RegisterValueCodec.Encode(double.NaN, type, RegisterOrder.ABCD, new ushort[4]),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains($"NaN has no {type} representation"));
    }

    [TestCase(RegisterDataType.Float32)]
    [TestCase(RegisterDataType.Float64)]
    public void Encode_keeps_NaN_for_a_floating_point_type(RegisterDataType type)
    {
        var registers = new ushort[4];

        RegisterValueCodec.Encode(double.NaN, type, RegisterOrder.BADC, registers);

        Assert.That(RegisterValueCodec.Decode(registers, type, RegisterOrder.BADC), Is.NaN);
    }

    [Test]
    public void Decode_reads_only_the_registers_of_its_type_from_a_longer_block()
    {
        ushort[] block = [0x4366, 0x0000, 0xFFFF, 0xFFFF];

        Assert.That(RegisterValueCodec.Decode(block, RegisterDataType.Float32, RegisterOrder.ABCD), Is.EqualTo(230.0));
    }

    [Test]
    public void Decode_names_the_registers_missing()
    {
        Assert.That(() => RegisterValueCodec.Decode(new ushort[1], RegisterDataType.Float32, RegisterOrder.ABCD),
            Throws.ArgumentException.With.Message.Contains("A Float32 value needs 2 registers; 1 were given"));
    }

    [Test]
    public void Encode_names_the_room_missing()
    {
        Assert.That(() => RegisterValueCodec.Encode(1, RegisterDataType.Float64, RegisterOrder.ABCD, new ushort[2]),
            Throws.ArgumentException.With.Message.Contains("A Float64 value needs 4 registers; the destination has 2"));
    }

    [Test]
    public void An_undefined_type_or_order_is_refused()
    {
        Assert.That(() => RegisterValueCodec.RegisterCount((RegisterDataType)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => RegisterValueCodec.Decode(new ushort[4], RegisterDataType.Int32, (RegisterOrder)99), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
