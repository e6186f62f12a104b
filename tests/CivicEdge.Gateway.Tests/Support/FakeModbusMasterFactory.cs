using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>Hands out one <see cref="FakeModbusMaster"/> per bus and remembers which buses were opened.</summary>
internal sealed class FakeModbusMasterFactory : IModbusMasterFactory
{
    private readonly Lock _gate = new();

    public Dictionary<string, FakeModbusMaster> Masters { get; } = [];

    public List<ModbusLink> Links { get; } = [];

    /// <summary>Sets up each master as it is created, before the first poll can reach it.</summary>
    public Action<FakeModbusMaster>? Prepare { get; set; }

    public IModbusMaster Create(ModbusLink link)
    {
        lock (_gate)
        {
            Links.Add(link);
            if (!Masters.TryGetValue(link.Id, out var master))
            {
                Masters[link.Id] = master = new FakeModbusMaster();
                Prepare?.Invoke(master);
            }
            return master;
        }
    }
}
