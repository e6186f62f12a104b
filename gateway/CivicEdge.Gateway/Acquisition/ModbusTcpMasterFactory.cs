using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Creates Modbus TCP masters with the link's default timeouts and retries.</summary>
public sealed class ModbusTcpMasterFactory(TimeProvider timeProvider, ILoggerFactory loggerFactory) : IModbusMasterFactory
{
    public IModbusMaster Create(DeviceEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var options = new ModbusTcpMasterOptions { Host = endpoint.Host, Port = endpoint.Port };
        return new ModbusTcpMaster(options, timeProvider, loggerFactory.CreateLogger<ModbusTcpMaster>());
    }
}
