namespace CivicEdge.Firmware.Pole.Scheduling;

/// <summary>The sun's passages a street-lighting schedule switches at.</summary>
public enum SunEvent
{
    /// <summary>Upper limb on the horizon in the morning (zenith 90.833°, refraction included).</summary>
    Sunrise = 0,

    /// <summary>Upper limb on the horizon in the evening.</summary>
    Sunset = 1,

    /// <summary>Centre 6° below the horizon in the morning: the end of the night for road lighting.</summary>
    CivilDawn = 2,

    /// <summary>Centre 6° below the horizon in the evening.</summary>
    CivilDusk = 3,
}
