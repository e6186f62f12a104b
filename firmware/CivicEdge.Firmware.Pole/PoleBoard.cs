namespace CivicEdge.Firmware.Pole;

/// <summary>
/// Pin map of the CivicEdge ESP32 pole-controller board, as hardware/boards/civicedge-pole-esp32.yaml describes it
/// (a test holds the two together). GPIO numbers are the ESP32's; ADC channels are nanoFramework's ADC1 channel numbers.
/// </summary>
public static class PoleBoard
{
    public const int RelayPin = 26;
    public const int RelayFeedbackPin = 27;
    public const int DimmingPwmPin = 25;
    public const int DimmingPwmFrequency = 1000;
    public const int MainsVoltageAdcChannel = 6;
    public const int LampCurrentAdcChannel = 7;
    public const int DriverThermistorAdcChannel = 3;
    public const int DoorContactPin = 32;
    public const int TiltSwitchPin = 33;
    public const int PhotocellPin = 13;
    public const int Rs485TxPin = 17;
    public const int Rs485RxPin = 16;
    public const int Rs485DirectionPin = 4;
    public const string Rs485Port = "COM3";
    public const int I2cBus = 1;
    public const int I2cSdaPin = 21;
    public const int I2cSclPin = 22;
    public const int AccelerometerAddress = 0x18;
}
