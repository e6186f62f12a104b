using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Scheduling;

namespace CivicEdge.Firmware.Environment.Device;

/// <summary>Answers the gateway from the main loop: each pass takes at most one request off the RS-485 line, without waiting.</summary>
public sealed class BusSlaveJob : IScheduledJob
{
    private readonly ModbusRtuSlave _slave;

    public BusSlaveJob(ModbusRtuSlave slave)
    {
        _slave = slave;
    }

    public void Run(long uptimeMilliseconds) => _slave.Poll(0);
}
