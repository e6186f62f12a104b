using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Reads one meter on a meter line for <see cref="DevicePoller"/>: the seam between the poller (schedule, counters,
/// health) and a protocol's master. A poll is a fixed list of requests: one M-Bus readout, one CJ/T 188 read of meter
/// data, one DL/T 645 read per data item.
/// </summary>
public interface IMeterReader
{
    /// <summary>The requests one poll makes, each with the profile points its answer carries.</summary>
    IReadOnlyList<IReadOnlyList<PointDefinition>> Requests { get; }

    /// <summary>The request for logs, e.g. <c>DI 02010100</c>.</summary>
    string Describe(int request);

    /// <summary>
    /// Makes request <paramref name="request"/> and, when the meter answers, writes the value of each of its points into
    /// <paramref name="values"/> (indexed like the profile's points); a point whose value the answer does not hold, or
    /// holds in a unit that does not convert, is left null.
    /// </summary>
    Task<MeterExchange> ReadAsync(int request, PointValue?[] values, CancellationToken cancellationToken);
}
