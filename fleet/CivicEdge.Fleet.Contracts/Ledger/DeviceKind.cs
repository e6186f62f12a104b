using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>What a device in the ledger is: the domain classes of the city's terminals (FR-01, FR-02).</summary>
public enum DeviceKind
{
    /// <summary>An edge gateway: reads field buses and relays for the devices behind it.</summary>
    [JsonStringEnumMemberName("gateway")]
    Gateway,

    /// <summary>A smart street-pole controller.</summary>
    [JsonStringEnumMemberName("poleController")]
    PoleController,

    /// <summary>A street lamp or its single-lamp controller.</summary>
    [JsonStringEnumMemberName("lamp")]
    Lamp,

    [JsonStringEnumMemberName("energyMeter")]
    EnergyMeter,
    [JsonStringEnumMemberName("waterMeter")]
    WaterMeter,
    [JsonStringEnumMemberName("gasMeter")]
    GasMeter,
    [JsonStringEnumMemberName("heatMeter")]
    HeatMeter,

    /// <summary>An environment or weather station (air quality, noise, wind, temperature).</summary>
    [JsonStringEnumMemberName("environmentStation")]
    EnvironmentStation,

    /// <summary>A single-purpose sensor: pipe pressure, level, manhole cover, tilt, flood.</summary>
    [JsonStringEnumMemberName("sensor")]
    Sensor,

    /// <summary>A switch, valve or relay the fleet drives.</summary>
    [JsonStringEnumMemberName("actuator")]
    Actuator,

    /// <summary>Anything else; the tags say what.</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}
