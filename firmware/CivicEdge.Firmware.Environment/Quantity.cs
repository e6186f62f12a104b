namespace CivicEdge.Firmware.Environment;

/// <summary>What the station measures; each has one channel of window statistics and one block of registers.</summary>
public enum Quantity
{
    /// <summary>Air temperature, °C.</summary>
    Temperature = 0,

    /// <summary>Relative humidity, %.</summary>
    Humidity = 1,

    /// <summary>Fine particulate matter PM2.5, µg/m³.</summary>
    Pm25 = 2,

    /// <summary>Particulate matter PM10, µg/m³.</summary>
    Pm10 = 3,

    /// <summary>A-weighted sound level, dB(A); averaged as energy (Leq), not as numbers.</summary>
    Noise = 4,

    /// <summary>Wind speed, m/s.</summary>
    WindSpeed = 5,

    /// <summary>Wind direction, degrees from north, clockwise; averaged as a vector.</summary>
    WindDirection = 6,

    /// <summary>Atmospheric pressure, kPa.</summary>
    Pressure = 7,
}
