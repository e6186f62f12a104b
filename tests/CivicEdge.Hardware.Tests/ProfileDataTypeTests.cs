using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class ProfileDataTypeTests
{
    private const string Header = """
        schema: civicedge.profile/v1
        model: test-device
        manufacturer: Test Instruments
        protocol: modbus
        points:

        """;

    private ProfileFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new ProfileFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    /// <summary>A profile with one point whose fields start on line 6, one per line.</summary>
    private static string WithPoint(params string[] fields) => WithPoints([fields]);

    private static string WithPoints(params string[][] points) =>
        Header + string.Concat(points.SelectMany(fields => fields.Select((f, i) => (i == 0 ? "  - " : "    ") + f + "\n")));

    private DeviceProfile Loads(string text) => ProfileLoader.LoadFile(_files.Write("device.yaml", text));

    private ProfileError FailsOnce(string text)
    {
        var path = _files.Write("device.yaml", text);
        return Assert.Throws<ProfileException>(() => ProfileLoader.Load(path)).Errors.Single();
    }

    [TestCase("bcd16", RegisterDataType.Bcd16)]
    [TestCase("BCD32", RegisterDataType.Bcd32)]
    public void Bcd_types_are_read(string text, RegisterDataType expected)
    {
        var point = Loads(WithPoint("name: total", "table: holding", "address: 0", $"type: {text}", "unit: m3")).Points.Single();

        Assert.That((point.Type, point.Bits, point.Length, point.IsText), Is.EqualTo((expected, (BitField?)null, (int?)null, false)));
    }

    [Test]
    public void Bcd32_takes_two_registers_for_the_address_range_check()
    {
        var error = FailsOnce(WithPoint("name: total", "table: holding", "address: 0xFFFF", "type: bcd32", "unit: m3"));

        Assert.That((error.Line, error.Field, error.Message), Is.EqualTo((8, "points[0].address",
            "a bcd32 point needs 2 registers, so its address must be at most 0xFFFE; found '0xFFFF'")));
    }

    [TestCase("3", 3, 1)]
    [TestCase("4-7", 4, 4)]
    [TestCase("0-15", 0, 16)]
    [TestCase("15", 15, 1)]
    public void A_bit_field_is_read_as_its_first_bit_and_width(string bits, int first, int count)
    {
        var point = Loads(WithPoint("name: mode", "table: input", "address: 5", "type: uint16", $"bits: {bits}", "unit: '1'")).Points.Single();

        Assert.That(point.Bits, Is.EqualTo(new BitField(first, count)));
        Assert.That(point.Bits!.Value.ToString(), Is.EqualTo(bits));
    }

    [TestCase("bits: 16")]
    [TestCase("bits: 7-4")]
    [TestCase("bits: a")]
    [TestCase("bits: 1-2-3")]
    [TestCase("bits: -1")]
    public void A_bit_field_outside_one_register_is_refused_where_it_is(string bits)
    {
        var error = FailsOnce(WithPoint("name: mode", "table: input", "address: 5", "type: uint16", bits, "unit: '1'"));

        Assert.That((error.Line, error.Field), Is.EqualTo((10, "points[0].bits")));
        Assert.That(error.Message, Does.StartWith("expected a bit 0..15 (bits: 3) or a range of bits, lowest first (bits: 4-7); found"));
    }

    [Test]
    public void A_bit_field_needs_type_uint16()
    {
        var error = FailsOnce(WithPoint("name: mode", "table: input", "address: 5", "type: int32", "bits: 3", "unit: '1'"));

        Assert.That((error.Line, error.Field, error.Message), Is.EqualTo((10, "points[0].bits", "a bit field is part of one register; expected type: uint16 with bits")));
    }

    [Test]
    public void Bit_fields_may_share_a_register_when_their_bits_do_not_overlap()
    {
        var profile = Loads(WithPoints(
            ["name: lamp_on", "table: input", "address: 5", "type: uint16", "bits: 0", "unit: '1'"],
            ["name: failure", "table: input", "address: 5", "type: uint16", "bits: 1", "unit: '1'"],
            ["name: mode", "table: input", "address: 5", "type: uint16", "bits: 4-7", "unit: '1'"]));

        Assert.That(profile.Points.Select(p => p.Bits!.Value.First), Is.EqualTo(new[] { 0, 1, 4 }));
    }

    [Test]
    public void Bit_fields_whose_bits_overlap_are_refused()
    {
        var error = FailsOnce(WithPoints(
            ["name: mode", "table: input", "address: 5", "type: uint16", "bits: 4-7", "unit: '1'"],
            ["name: flag", "table: input", "address: 5", "type: uint16", "bits: 6", "unit: '1'"]));

        Assert.That((error.Line, error.Field), Is.EqualTo((14, "points[1].address")));
        Assert.That(error.Message, Does.Contain("0x0005..0x0005 bits 6").And.Contain("'mode'"));
    }

    [Test]
    public void A_bit_field_and_a_whole_register_point_on_one_register_overlap()
    {
        var error = FailsOnce(WithPoints(
            ["name: status", "table: input", "address: 5", "type: uint16", "unit: '1'"],
            ["name: flag", "table: input", "address: 5", "type: uint16", "bits: 6", "unit: '1'"]));

        Assert.That(error.Field, Is.EqualTo("points[1].address"));
    }

    [Test]
    public void A_string_point_has_a_length_and_needs_no_unit()
    {
        var point = Loads(WithPoint("name: serial_number", "table: holding", "address: 0x100", "type: string", "length: 8", "order: BADC")).Points.Single();

        Assert.That((point.IsText, point.Length, point.Order, point.Unit), Is.EqualTo((true, (int?)8, RegisterOrder.BADC, "")));
    }

    [TestCase("length: 0", 10, "points[0].length", "expected the length of the text in registers (two characters each), 1..125; found '0'")]
    [TestCase("length: 126", 10, "points[0].length", "1..125; found '126'")]
    [TestCase("scale: 2", 11, "points[0].scale", "applies only to numbers; a string point is text (leave it out)")]
    [TestCase("order: CDAB", 11, "points[0].order", "a string is read register by register; expected ABCD (first character in the high byte) or BADC (in the low byte); found 'CDAB'")]
    public void A_string_point_field_is_checked(string field, int line, string name, string message)
    {
        var text = field.StartsWith("length", StringComparison.Ordinal)
            ? WithPoint("name: serial_number", "table: holding", "address: 0", "type: string", field)
            : WithPoint("name: serial_number", "table: holding", "address: 0", "type: string", "length: 4", field);

        var error = FailsOnce(text);

        Assert.That((error.Line, error.Field), Is.EqualTo((line, name)));
        Assert.That(error.Message, Does.Contain(message));
    }

    [Test]
    public void A_string_point_without_a_length_is_refused()
    {
        var error = FailsOnce(WithPoint("name: serial_number", "table: holding", "address: 0", "type: string"));

        Assert.That((error.Line, error.Field), Is.EqualTo((6, "points[0].length")));
        Assert.That(error.Message, Does.StartWith("missing; a string point needs one"));
    }

    [Test]
    public void A_number_has_no_length()
    {
        var error = FailsOnce(WithPoint("name: total", "table: holding", "address: 0", "type: uint32", "length: 2", "unit: m3"));

        Assert.That((error.Line, error.Field, error.Message), Is.EqualTo((10, "points[0].length", "only a string point has a length; the type fixes the size of a number")));
    }

    [Test]
    public void A_string_runs_over_its_length_for_overlaps_and_the_address_range()
    {
        var overlap = FailsOnce(WithPoints(
            ["name: serial_number", "table: holding", "address: 0", "type: string", "length: 4"],
            ["name: setpoint", "table: holding", "address: 3", "type: uint16", "unit: V"]));
        var range = FailsOnce(WithPoint("name: serial_number", "table: holding", "address: 0xFFFE", "type: string", "length: 4"));

        Assert.That(overlap.Message, Does.Contain("'serial_number' (points[0], 0x0000..0x0003)"));
        Assert.That(range.Message, Is.EqualTo("a string of 4 registers needs 4 registers, so its address must be at most 0xFFFC; found '0xFFFE'"));
    }

    [TestCase("coil", RegisterTable.Coils)]
    [TestCase("discrete", RegisterTable.DiscreteInputs)]
    public void Bit_tables_take_bool_points_with_or_without_a_type(string table, RegisterTable expected)
    {
        var profile = Loads(WithPoints(
            ["name: relay", $"table: {table}", "address: 0", "unit: '1'"],
            ["name: door", $"table: {table}", "address: 1", "type: bool", "unit: '1'"]));

        Assert.That(profile.Points.Select(p => (p.Table, p.Address)), Is.EqualTo(new[] { (expected, (ushort)0), (expected, (ushort)1) }));
    }

    [Test]
    public void A_coil_may_be_writable_but_a_discrete_input_may_not()
    {
        var coil = Loads(WithPoint("name: relay", "table: coil", "address: 0", "unit: '1'", "writable: true")).Points.Single();
        var error = FailsOnce(WithPoint("name: door", "table: discrete", "address: 0", "unit: '1'", "writable: true"));

        Assert.That(coil.Writable, Is.True);
        Assert.That((error.Field, error.Message), Is.EqualTo(("points[0].writable",
            "discrete inputs are read-only (Modbus Application Protocol §4.3); expected table: coil for a writable point, or writable: false")));
    }

    [Test]
    public void A_register_type_in_a_bit_table_is_refused()
    {
        var error = FailsOnce(WithPoint("name: relay", "table: coil", "address: 0", "type: uint16", "unit: '1'"));

        Assert.That((error.Line, error.Field, error.Message), Is.EqualTo((9, "points[0].type", "coil points are single bits; expected bool or no type; found 'uint16'")));
    }

    [Test]
    public void A_bool_in_a_register_table_points_to_bit_fields()
    {
        var error = FailsOnce(WithPoint("name: relay", "table: holding", "address: 0", "type: bool", "unit: '1'"));

        Assert.That(error.Message, Is.EqualTo("bool is for coil and discrete points; expected a register type, or uint16 with bits: N for one bit of a register"));
    }

    [Test]
    public void Two_coils_at_one_address_overlap_but_a_coil_and_a_register_do_not()
    {
        var error = FailsOnce(WithPoints(
            ["name: relay", "table: coil", "address: 0", "unit: '1'"],
            ["name: relay_copy", "table: coil", "address: 0", "unit: '1'"],
            ["name: dimming", "table: holding", "address: 0", "type: uint16", "unit: '%'"]));

        Assert.That(error.Field, Is.EqualTo("points[1].address"));
    }
}
