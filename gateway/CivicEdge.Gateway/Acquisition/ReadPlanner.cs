using CivicEdge.Hardware;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Groups a profile's points into as few register reads as possible. Every request costs a round trip (and on a
/// serial bus, frame gaps), so points in the same table are merged into one read when they are adjacent or separated
/// by a small gap, up to the protocol's limit of 125 registers per read.
/// </summary>
public static class ReadPlanner
{
    /// <summary>The most registers one read may ask for (Modbus Application Protocol V1.1b3 §6.3, §6.4: 1 to 125).</summary>
    public const int MaxRegistersPerRead = 125;

    /// <summary>
    /// The most unused registers read to join two points into one request. Small, because some devices answer a read
    /// that touches an unmapped register with an exception instead of zeros.
    /// </summary>
    public const int DefaultMaxGap = 8;

    /// <summary>Plans the reads for <paramref name="points"/>, ordered by table and address.</summary>
    /// <param name="points">The points to read, from holding or input registers.</param>
    /// <param name="maxGap">The most unused registers allowed between two points in one read.</param>
    /// <exception cref="ArgumentException">A point lies in a bit table or runs past register 65535.</exception>
    public static IReadOnlyList<RegisterBlock> Plan(IEnumerable<PointDefinition> points, int maxGap = DefaultMaxGap)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);

        var blocks = new List<RegisterBlock>();
        foreach (var table in points.GroupBy(p => p.Table).OrderBy(g => g.Key))
        {
            if (table.Key is not (RegisterTable.HoldingRegisters or RegisterTable.InputRegisters))
                throw new ArgumentException($"Point '{table.First().Name}' is in {table.Key}; only holding and input registers can be read as registers.", nameof(points));

            var ordered = table.OrderBy(p => p.Address).ThenBy(p => RegisterValueCodec.RegisterCount(p.Type)).ToList();
            var members = new List<PointDefinition>();
            int start = 0, end = 0;
            foreach (var point in ordered)
            {
                var pointEnd = point.Address + RegisterValueCodec.RegisterCount(point.Type);
                if (pointEnd > 65536)
                    throw new ArgumentException($"Point '{point.Name}' at {point.Address} runs past register 65535.", nameof(points));

                var joinedEnd = Math.Max(end, pointEnd);
                if (members.Count > 0 && point.Address - end <= maxGap && joinedEnd - start <= MaxRegistersPerRead)
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
}
