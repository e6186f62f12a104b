using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The layout a device's readings are stored with now, and where each of its points sits in it. A device reports by
/// exception, so one reading holds some of its points and the next others: a reading stores the positions of the points
/// it holds, and the device keeps one layout, grown by the points it had not reported before (a layout per set of
/// points would grow without end, in the file and in memory).
/// </summary>
internal sealed class DeviceLayout
{
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    public DeviceLayout(PointLayout layout)
    {
        Layout = layout;
        // A point whose unit or quantity changed is appended again; the newest entry of a name is the one in use.
        for (var i = 0; i < layout.Names.Length; i++)
            _positions[layout.Names[i]] = i;
    }

    public PointLayout Layout { get; }

    /// <summary>
    /// Writes the position in <see cref="Layout"/> of every point into <paramref name="positions"/>; false when a
    /// point is not in it (a new point, or a known one with another unit or quantity).
    /// </summary>
    public bool TryLocate(IReadOnlyList<PointValue> points, Span<int> positions)
    {
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!_positions.TryGetValue(point.Name, out var position)
                || !string.Equals(Layout.Units[position], point.Unit, StringComparison.Ordinal)
                || !string.Equals(Layout.Quantities[position], point.Quantity, StringComparison.Ordinal))
            {
                return false;
            }

            positions[i] = position;
        }

        return true;
    }

    /// <summary>This layout with the points of <paramref name="points"/> it lacks appended, as layout <paramref name="id"/>.</summary>
    public PointLayout Grow(int id, IReadOnlyList<PointValue> points)
    {
        var names = new List<string>(Layout.Names);
        var units = new List<string>(Layout.Units);
        var quantities = new List<string?>(Layout.Quantities);
        Span<int> position = stackalloc int[1];
        foreach (var point in points)
        {
            if (TryLocate([point], position))
                continue;
            names.Add(point.Name);
            units.Add(point.Unit);
            quantities.Add(point.Quantity);
        }

        return new PointLayout(id, Layout.DeviceId, Layout.Model, [.. names], [.. units], [.. quantities]);
    }
}
