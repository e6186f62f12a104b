using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Hardware;

/// <summary>What a point's <c>type</c> field says: a register type, a single bit, or text.</summary>
/// <param name="Type">The register type; <see cref="RegisterDataType.UInt16"/> for bits and text.</param>
/// <param name="IsBit">A coil or discrete input.</param>
/// <param name="IsText">A string of registers.</param>
internal readonly record struct PointKind(RegisterDataType Type, bool IsBit, bool IsText);
