using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Opens the Modbus master of a bus; the devices on one bus share it.</summary>
public interface IModbusMasterFactory
{
    /// <exception cref="InvalidOperationException">The kind of bus cannot be opened by this gateway.</exception>
    IModbusMaster Create(ModbusLink link);
}
