using System.Collections.Concurrent;
using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Tests.Devices;

/// <summary>A model whose values are set by the test; counts its updates.</summary>
internal sealed class FixedDeviceModel(IReadOnlyDictionary<string, double> values) : IDeviceModel
{
    private readonly ConcurrentDictionary<string, double> _values = new(values);
    private int _updates;

    public int Updates => Volatile.Read(ref _updates);

    /// <summary>Completes at each update, for tests that drive a timer.</summary>
    public SemaphoreSlim Updated { get; } = new(0);

    public void Set(string point, double value) => _values[point] = value;

    public void Update()
    {
        Interlocked.Increment(ref _updates);
        Updated.Release();
    }

    public bool TryGetValue(string point, out double value) => _values.TryGetValue(point, out value);
}
