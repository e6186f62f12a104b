using CivicEdge.Gateway.Acquisition;
using CivicEdge.Protocols.Modbus;
using static CivicEdge.Gateway.Tests.Support.TestProfiles;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class ReadPlannerTests
{
    [Test]
    public void Adjacent_points_in_one_table_are_read_in_one_request()
    {
        var blocks = ReadPlanner.Plan([
            Point("a", 0, RegisterDataType.Float32),
            Point("b", 2, RegisterDataType.Float32),
            Point("c", 4, RegisterDataType.UInt16),
        ]);

        Assert.That(blocks, Has.Count.EqualTo(1));
        Assert.That((blocks[0].Table, blocks[0].Address, blocks[0].Count), Is.EqualTo((RegisterTable.InputRegisters, (ushort)0, 5)));
        Assert.That(blocks[0].Points.Select(p => p.Name), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void Points_separated_by_a_gap_up_to_the_limit_share_a_request()
    {
        var blocks = ReadPlanner.Plan([Point("a", 0), Point("b", 1 + 8)], maxGap: 8);

        Assert.That(blocks, Has.Count.EqualTo(1));
        Assert.That(blocks[0].Count, Is.EqualTo(10));
    }

    [Test]
    public void Points_further_apart_than_the_gap_are_read_separately()
    {
        var blocks = ReadPlanner.Plan([Point("a", 0), Point("b", 1 + 9)], maxGap: 8);

        Assert.That(blocks.Select(b => (b.Address, b.Count)), Is.EqualTo(new[] { ((ushort)0, 1), ((ushort)10, 1) }));
    }

    [Test]
    public void Holding_and_input_registers_are_never_read_in_the_same_request()
    {
        var blocks = ReadPlanner.Plan([
            Point("input", 0, table: RegisterTable.InputRegisters),
            Point("holding", 1, table: RegisterTable.HoldingRegisters),
        ]);

        Assert.That(blocks.Select(b => b.Table), Is.EquivalentTo(new[] { RegisterTable.InputRegisters, RegisterTable.HoldingRegisters }));
        Assert.That(blocks.Select(b => b.Points.Single().Name), Is.EquivalentTo(new[] { "input", "holding" }));
    }

    [Test]
    public void A_request_never_asks_for_more_than_125_registers_and_every_point_is_read_once()
    {
        var points = Enumerable.Range(0, 100).Select(i => Point($"p{i}", (ushort)(i * 2), RegisterDataType.Float32)).ToList();

        var blocks = ReadPlanner.Plan(points);

        Assert.That(blocks.Select(b => b.Count), Has.All.LessThanOrEqualTo(ReadPlanner.MaxRegistersPerRead));
        Assert.That(blocks.SelectMany(b => b.Points).Select(p => p.Name), Is.EquivalentTo(points.Select(p => p.Name)));
        Assert.That(blocks, Has.Count.EqualTo(2), "200 contiguous registers need two reads");
        foreach (var block in blocks)
        {
            Assert.That(block.Points.Select(p => p.Address), Has.All.InRange(block.Address, block.Address + block.Count - 2),
                $"every float of {block} lies inside it");
        }
    }

    [Test]
    public void A_request_covers_every_register_of_a_multi_register_point()
    {
        var blocks = ReadPlanner.Plan([Point("small", 0), Point("wide", 3, RegisterDataType.Float64)]);

        Assert.That((blocks.Single().Address, blocks.Single().Count), Is.EqualTo(((ushort)0, 7)));
    }

    [Test]
    public void Points_listed_out_of_address_order_are_planned_in_address_order()
    {
        var blocks = ReadPlanner.Plan([Point("far", 200), Point("near", 2), Point("first", 0)]);

        Assert.That(blocks.Select(b => b.Address), Is.EqualTo(new ushort[] { 0, 200 }));
        Assert.That(blocks[0].Points.Select(p => p.Name), Is.EqualTo(new[] { "first", "near" }));
    }

    [Test]
    public void Nearby_coils_are_read_in_one_request_apart_from_registers_and_discrete_inputs()
    {
        var blocks = ReadPlanner.Plan(
        [
            Point("relay", 0, table: RegisterTable.Coils),
            Point("alarm_relay", 5, table: RegisterTable.Coils),
            Point("door", 0, table: RegisterTable.DiscreteInputs),
            Point("dimming", 0, table: RegisterTable.HoldingRegisters),
        ]);

        Assert.That(blocks.Select(b => (b.Table, b.Address, b.Count, b.IsBits)), Is.EqualTo(new[]
        {
            (RegisterTable.Coils, (ushort)0, 6, true),
            (RegisterTable.DiscreteInputs, (ushort)0, 1, true),
            (RegisterTable.HoldingRegisters, (ushort)0, 1, false),
        }));
    }

    [Test]
    public void A_bit_request_never_asks_for_more_than_2000_bits()
    {
        var coils = Enumerable.Range(0, 2001).Select(i => Point($"coil_{i}", (ushort)i, table: RegisterTable.Coils)).ToList();

        var blocks = ReadPlanner.Plan(coils);

        Assert.That(blocks.Select(b => (b.Address, b.Count)), Is.EqualTo(new[] { ((ushort)0, 2000), ((ushort)2000, 1) }));
    }

    [Test]
    public void Bit_fields_of_one_status_register_share_its_read()
    {
        var blocks = ReadPlanner.Plan(
        [
            Point("lamp_on", 5) with { Bits = new(0, 1) },
            Point("mode", 5) with { Bits = new(4, 4) },
            Point("current", 6),
        ]);

        Assert.That(blocks.Single().Count, Is.EqualTo(2));
    }

    [Test]
    public void Text_points_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReadPlanner.Plan([Point("serial_number", 0) with { Length = 4 }]));

        Assert.That(ex.Message, Does.Contain("serial_number").And.Contain("text"));
    }

    [Test]
    public void RegistersOf_slices_the_point_out_of_the_block()
    {
        var block = ReadPlanner.Plan([Point("a", 10), Point("b", 12, RegisterDataType.Float32)]).Single();
        ushort[] registers = [1, 2, 3, 4];

        Assert.That(block.RegistersOf(block.Points[1], registers).ToArray(), Is.EqualTo(new ushort[] { 3, 4 }));
    }
}
