namespace CivicEdge.Firmware.Pole.Uplink;

/// <summary>How the controller reaches the fleet.</summary>
public enum UplinkMode
{
    /// <summary>A gateway polls it on RS-485 as an SLC-1 Modbus RTU slave.</summary>
    ModbusSlave = 0,

    /// <summary>It speaks the fleet's MQTT contract over its own IP link (Wi-Fi, Ethernet, cellular modem).</summary>
    Mqtt = 1,
}
