namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>How far a reported value can be trusted (CivicEdge.Fleet.Contracts.Quality on the wire).</summary>
public enum PointQuality
{
    /// <summary>Read now and within the plausible range.</summary>
    Good,

    /// <summary>The last value read, repeated because this point could not be read now.</summary>
    Stale,

    /// <summary>The sensor stopped answering: the last value, sent once so the fleet sees the loss.</summary>
    CommError,

    /// <summary>Read, but outside the plausible range.</summary>
    OutOfRange,
}
