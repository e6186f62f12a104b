using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// Which simulated devices' new images fail their boot health check: each device by itself, from a hash of the seed
/// and its id, so that the choice depends on neither the order offers arrive in nor the number of gateways, and a run
/// is reproduced by giving its seed again.
/// </summary>
public sealed class OtaFailurePlan
{
    private readonly int _seed;

    /// <param name="seed">Any number; printed at the start of a run.</param>
    /// <param name="rate">The share of devices chosen, from 0 to 1.</param>
    public OtaFailurePlan(int seed, double rate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        _seed = seed;
        Rate = rate;
    }

    public double Rate { get; }

    /// <summary>True when <paramref name="deviceId"/>'s new image is to fail.</summary>
    public bool Fails(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        if (Rate <= 0)
            return false;
        // SHA-256 rather than string.GetHashCode, which .NET randomises per process.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{_seed}:{deviceId}"), hash);
        var draw = (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
        return draw < Rate;
    }

    /// <summary>The devices of <paramref name="deviceIds"/> chosen to fail, in the order given.</summary>
    public IReadOnlyList<string> Chosen(IEnumerable<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        return deviceIds.Where(Fails).ToList();
    }
}
