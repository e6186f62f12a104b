using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Opens the Modbus link to an endpoint; devices behind the same endpoint share one master.</summary>
public interface IModbusMasterFactory
{
    IModbusMaster Create(DeviceEndpoint endpoint);
}
