using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>One read request: a contiguous range of one table and the points that lie within it.</summary>
/// <param name="Table">The table read.</param>
/// <param name="Address">The zero-based protocol address of the first register or bit.</param>
/// <param name="Count">How many registers (1..125) or bits (1..2000) to read.</param>
/// <param name="Points">The points decoded from the range, by address.</param>
public sealed record RegisterBlock(RegisterTable Table, ushort Address, int Count, IReadOnlyList<PointDefinition> Points)
{
    /// <summary>True when the block reads coils or discrete inputs.</summary>
    public bool IsBits => ReadPlanner.IsBitTable(Table);

    /// <summary>The registers of <paramref name="point"/> within the registers read for this block.</summary>
    public ReadOnlySpan<ushort> RegistersOf(PointDefinition point, ReadOnlySpan<ushort> blockRegisters)
    {
        ArgumentNullException.ThrowIfNull(point);
        return blockRegisters.Slice(point.Address - Address, ReadPlanner.Width(point));
    }

    /// <summary>The bit of <paramref name="point"/> within the bits read for this block.</summary>
    public bool BitOf(PointDefinition point, ReadOnlySpan<bool> blockBits)
    {
        ArgumentNullException.ThrowIfNull(point);
        return blockBits[point.Address - Address];
    }

    public override string ToString() => $"{Table} {Address}..{Address + Count - 1}";
}
