namespace CivicEdge.Firmware.Environment;

/// <summary>The RS-485 transmitters the station reads, each as its hardware profile (hardware/profiles/rs485-*.yaml) describes it.</summary>
public enum SensorModel
{
    /// <summary>rs485-temperature-humidity: holding 0x0000 humidity, 0x0001 temperature, both in tenths.</summary>
    TemperatureHumidity,

    /// <summary>rs485-pm: holding 0x0004 PM2.5 and 0x0009 PM10 in µg/m³, read in one request.</summary>
    Particulates,

    /// <summary>rs485-noise: holding 0x0000, tenths of a dB(A).</summary>
    Noise,

    /// <summary>rs485-wind-speed: holding 0x0000, tenths of a m/s.</summary>
    WindSpeed,

    /// <summary>rs485-wind-direction: holding 0x0001, degrees from north.</summary>
    WindDirection,

    /// <summary>rs485-weather-shutter: holding 0x01F4..0x01FD, wind, humidity, temperature, noise, PM and pressure.</summary>
    WeatherShutter,
}
