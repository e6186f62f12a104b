namespace CivicEdge.Firmware.Environment.Device;

/// <summary>The environment station board's pins, as hardware/boards/civicedge-environment-station-esp32.yaml lists them.</summary>
public static class EnvironmentBoard
{
    /// <summary>RS-485 to the transmitters (the station is master): UART1, COM2 in nanoFramework.</summary>
    public const string SensorPort = "COM2";

    public const int SensorReceive = 27;

    public const int SensorTransmit = 25;

    public const int SensorDriverEnable = 14;

    /// <summary>RS-485 to the gateway (the station is slave): UART2, COM3 in nanoFramework.</summary>
    public const string GatewayPort = "COM3";

    public const int GatewayReceive = 16;

    public const int GatewayTransmit = 17;

    public const int GatewayDriverEnable = 4;
}
