namespace CivicEdge.Gateway.Storage;

/// <summary>What <see cref="GatewayDatabase"/> had to do to open its file.</summary>
public enum DatabaseRecoveryKind
{
    /// <summary>The file opened as it was (a journal left by a killed process is replayed as a matter of course).</summary>
    None,

    /// <summary>The file was damaged; LiteDB rebuilt it from what it could read and kept the original beside it.</summary>
    Rebuilt,

    /// <summary>The file was damaged beyond LiteDB's repair; it was renamed aside (never deleted) and a fresh one started.</summary>
    MovedAside,

    /// <summary>
    /// The file opened but is not the one this gateway wrote last (it lost its contents or was replaced), as the
    /// identity kept beside it shows.
    /// </summary>
    ContentsLost,
}
