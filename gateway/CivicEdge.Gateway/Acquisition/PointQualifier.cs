using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Gives every point a value and a quality for the poll just made, also the points the poll could not read: a point
/// read in this poll keeps its value and quality (good or out-of-range); a point the device did not deliver while it
/// answered otherwise (an exception response or damaged answer to its read, or a value that was not a number) is
/// <see cref="Quality.Stale"/> with the last value read; when the device did not answer at all, every point is
/// <see cref="Quality.CommError"/> with the last value read. A point never read has nothing to repeat and stays absent:
/// the gateway never invents a value.
/// </summary>
public sealed class PointQualifier
{
    private readonly PointValue?[] _lastRead;

    /// <param name="points">How many points the profile has.</param>
    public PointQualifier(int points)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        _lastRead = new PointValue?[points];
    }

    /// <summary>The values of one poll (one per point, null where not read), with stale and comm-error points filled in.</summary>
    public PointValue?[] Qualify(bool answered, IReadOnlyList<PointValue?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _lastRead.Length)
            throw new ArgumentException($"Expected {_lastRead.Length} values, one per point of the profile; found {values.Count}.", nameof(values));

        var qualified = new PointValue?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { } read)
            {
                _lastRead[i] = read;
                qualified[i] = read;
            }
            else if (_lastRead[i] is { } last)
            {
                qualified[i] = last with { Quality = answered ? Quality.Stale : Quality.CommError };
            }
        }
        return qualified;
    }
}
