namespace CivicEdge.Gateway.Acquisition;

/// <summary>What a reconfiguration does to one bus.</summary>
public enum BusChangeKind
{
    /// <summary>Same link, same devices in the same order: it keeps polling undisturbed.</summary>
    Unchanged,

    /// <summary>A new bus: its master and pollers are created and it starts polling.</summary>
    Added,

    /// <summary>Gone: it stops polling and its master is closed.</summary>
    Removed,

    /// <summary>
    /// The link's settings changed (endpoint, serial line, timeouts): it stops, its master is reopened and every one of
    /// its devices gets a new poller.
    /// </summary>
    Relinked,

    /// <summary>
    /// Same link, but devices were added, removed, changed or reordered: its schedule restarts with the same master
    /// (the connection stays up), unchanged devices keep their pollers and counters, changed ones get new pollers.
    /// </summary>
    Regrouped,
}
