using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>Hands out one <see cref="FakeModbusMaster"/> per endpoint and remembers which endpoints were opened.</summary>
internal sealed class FakeModbusMasterFactory : IModbusMasterFactory
{
    private readonly Lock _gate = new();

    public Dictionary<DeviceEndpoint, FakeModbusMaster> Masters { get; } = [];

    public IModbusMaster Create(DeviceEndpoint endpoint)
    {
        lock (_gate)
        {
            if (!Masters.TryGetValue(endpoint, out var master))
                Masters[endpoint] = master = new FakeModbusMaster();
            return master;
        }
    }
}
