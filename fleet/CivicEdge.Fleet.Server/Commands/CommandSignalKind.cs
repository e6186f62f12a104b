namespace CivicEdge.Fleet.Server.Commands;

/// <summary>The kinds of <see cref="CommandSignal"/>.</summary>
internal enum CommandSignalKind
{
    /// <summary>The source announced itself online (its birth, or the retained state on subscribing).</summary>
    Online,

    /// <summary>The source announced itself offline, or its last will did.</summary>
    Offline,

    /// <summary>The source published telemetry, events or health: its session is up and its subscriptions are made.</summary>
    Spoke,

    /// <summary>The source published a command result.</summary>
    Result,
}
