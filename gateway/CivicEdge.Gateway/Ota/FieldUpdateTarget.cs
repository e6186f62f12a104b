using CivicEdge.Modbus;

namespace CivicEdge.Gateway.Ota;

/// <summary>A configured field device an update can be fed to: its bus, its unit, the bus's master and the device's lane in it.</summary>
/// <param name="DeviceId">The device's id in the gateway's configuration, which offers name as their target.</param>
/// <param name="BusId">The bus it is on; one update at a time runs on a bus.</param>
/// <param name="UnitId">Its Modbus unit identifier.</param>
/// <param name="Master">The bus's Modbus master.</param>
/// <param name="Lane">The device's turns on the bus, between polls.</param>
public sealed record FieldUpdateTarget(string DeviceId, string BusId, byte UnitId, IModbusMaster Master, IBusLane Lane);
