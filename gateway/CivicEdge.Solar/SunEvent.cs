namespace CivicEdge.Solar;

/// <summary>The moments of the day that lighting follows.</summary>
public enum SunEvent
{
    /// <summary>The sun's upper limb appears: zenith 90.833° (refraction and the sun's radius).</summary>
    Sunrise,

    /// <summary>The sun's upper limb disappears: zenith 90.833°.</summary>
    Sunset,

    /// <summary>Civil dawn: the sun 6° below the horizon, rising (zenith 96°).</summary>
    CivilDawn,

    /// <summary>Civil dusk: the sun 6° below the horizon, setting (zenith 96°).</summary>
    CivilDusk,
}
