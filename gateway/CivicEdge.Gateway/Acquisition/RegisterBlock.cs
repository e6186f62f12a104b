using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>One read request: a contiguous range of registers in one table and the points that lie within it.</summary>
/// <param name="Table">Holding or input registers.</param>
/// <param name="Address">The zero-based protocol address of the first register.</param>
/// <param name="Count">How many registers to read, 1..125.</param>
/// <param name="Points">The points decoded from the range, by address.</param>
public sealed record RegisterBlock(RegisterTable Table, ushort Address, int Count, IReadOnlyList<PointDefinition> Points)
{
    /// <summary>The registers of <paramref name="point"/> within the registers read for this block.</summary>
    public ReadOnlySpan<ushort> RegistersOf(PointDefinition point, ReadOnlySpan<ushort> blockRegisters)
    {
        ArgumentNullException.ThrowIfNull(point);
        return blockRegisters.Slice(point.Address - Address, RegisterValueCodec.RegisterCount(point.Type));
    }

    public override string ToString() => $"{Table} {Address}..{Address + Count - 1}";
}
