using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Simulators.Firmware;

/// <summary>A block of a firmware data model's table that a <see cref="DataModelMirror"/> copies and serves.</summary>
/// <param name="Table">Which of the four Modbus tables.</param>
/// <param name="Address">First address of the block.</param>
/// <param name="Count">How many bits or registers.</param>
public sealed record MirroredRange(RegisterTable Table, ushort Address, int Count)
{
    public bool Covers(RegisterTable table, ushort address, int count) =>
        table == Table && address >= Address && address + count <= Address + Count;
}
