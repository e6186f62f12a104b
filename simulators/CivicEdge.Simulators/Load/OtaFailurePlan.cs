using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// Which simulated devices' new images fail their boot health check: exactly the rate's share of the run's devices
/// (rounded to the nearest device), those whose hash of the seed and their id draws lowest. The choice depends on
/// neither the order offers arrive in nor the order devices are listed in, and a run is reproduced by giving its seed again.
/// </summary>
public sealed class OtaFailurePlan
{
    private readonly HashSet<string> _chosen;

    /// <param name="seed">Any number; printed at the start of a run.</param>
    /// <param name="rate">The share of devices chosen, from 0 to 1.</param>
    /// <param name="devices">Every device of the run.</param>
    public OtaFailurePlan(int seed, double rate, IEnumerable<string> devices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        ArgumentNullException.ThrowIfNull(devices);
        Rate = rate;
        var all = devices.Distinct(StringComparer.Ordinal).ToList();
        var count = (int)Math.Round(rate * all.Count, MidpointRounding.AwayFromZero);
        _chosen = all
            .OrderBy(device => Draw(seed, device))
            .ThenBy(device => device, StringComparer.Ordinal)
            .Take(count)
            .ToHashSet(StringComparer.Ordinal);
    }

    public double Rate { get; }

    /// <summary>True when <paramref name="deviceId"/>'s new image is to fail.</summary>
    public bool Fails(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        return _chosen.Contains(deviceId);
    }

    /// <summary>The devices of <paramref name="deviceIds"/> chosen to fail, in the order given.</summary>
    public IReadOnlyList<string> Chosen(IEnumerable<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        return deviceIds.Where(_chosen.Contains).ToList();
    }

    /// <summary>A number from 0 to 1 for the device; SHA-256 rather than string.GetHashCode, which .NET randomises per process.</summary>
    private static double Draw(int seed, string deviceId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{deviceId}"), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
