using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Groups a profile's points into as few reads as possible. Every request costs a round trip (and on a serial bus,
/// frame gaps), so points in the same table are merged into one read when they are adjacent or separated by a small
/// gap, up to the protocol's limit per read: 125 registers, or 2000 coils or discrete inputs.
/// </summary>
public static class ReadPlanner
{
    /// <summary>The most registers one read may ask for (Modbus Application Protocol V1.1b3 §6.3, §6.4: 1 to 125).</summary>
    public const int MaxRegistersPerRead = 125;

    /// <summary>The most coils or discrete inputs one read may ask for (Modbus Application Protocol V1.1b3 §6.1, §6.2: 1 to 2000).</summary>
    public const int MaxBitsPerRead = 2000;

    /// <summary>
    /// The most unused registers (or bits) read to join two points into one request. Small, because some devices answer
    /// a read that touches an unmapped address with an exception instead of zeros.
    /// </summary>
    public const int DefaultMaxGap = 8;

    /// <summary>Plans the reads for <paramref name="points"/>, ordered by table and address.</summary>
    /// <param name="points">The numeric points to read.</param>
    /// <param name="maxGap">The most unused registers or bits allowed between two points in one read.</param>
    /// <exception cref="ArgumentException">A point is a text point or runs past address 65535.</exception>
    public static IReadOnlyList<RegisterBlock> Plan(IEnumerable<PointDefinition> points, int maxGap = DefaultMaxGap)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);

        var blocks = new List<RegisterBlock>();
        foreach (var table in points.GroupBy(p => p.Table).OrderBy(g => g.Key))
        {
            var limit = IsBitTable(table.Key) ? MaxBitsPerRead : MaxRegistersPerRead;
            var ordered = table.OrderBy(p => p.Address).ThenBy(Width).ToList();
            var members = new List<PointDefinition>();
            int start = 0, end = 0;
            foreach (var point in ordered)
            {
                if (point.IsText)
                    throw new ArgumentException($"Point '{point.Name}' is text; only numeric points are read by polls.", nameof(points));
                var pointEnd = point.Address + Width(point);
                if (pointEnd > 65536)
                    throw new ArgumentException($"Point '{point.Name}' at {point.Address} runs past address 65535.", nameof(points));

                var joinedEnd = Math.Max(end, pointEnd);
                if (members.Count > 0 && point.Address - end <= maxGap && joinedEnd - start <= limit)
                {
                    members.Add(point);
                    end = joinedEnd;
                    continue;
                }

                if (members.Count > 0)
                    blocks.Add(new RegisterBlock(table.Key, (ushort)start, end - start, members));
                members = [point];
                start = point.Address;
                end = pointEnd;
            }

            blocks.Add(new RegisterBlock(table.Key, (ushort)start, end - start, members));
        }

        return blocks;
    }

    /// <summary>True for the single-bit tables, coils and discrete inputs.</summary>
    public static bool IsBitTable(RegisterTable table) => table is RegisterTable.Coils or RegisterTable.DiscreteInputs;

    /// <summary>How many addresses <paramref name="point"/> occupies: bits in a bit table, else registers.</summary>
    public static int Width(PointDefinition point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (IsBitTable(point.Table))
            return 1;
        return point.Length ?? RegisterValueCodec.RegisterCount(point.Type);
    }
}
