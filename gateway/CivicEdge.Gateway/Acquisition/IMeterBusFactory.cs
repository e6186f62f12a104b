using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>Opens the meter lines (M-Bus, CJ/T 188, DL/T 645); the meters on one line share it.</summary>
public interface IMeterBusFactory
{
    /// <exception cref="ArgumentException">The link is not a meter line.</exception>
    MeterBus Create(ModbusLink link);
}
