namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// Where a self-update stands in the durable state file. The path is downloading → downloaded → verified → staged →
/// switched → trial → confirmed, or it ends in <see cref="Failed"/> (before the switch) or <see cref="RolledBack"/>
/// (after it). <see cref="Trial"/> and <see cref="RolledBack"/> may also be written by the launcher, which decides
/// before any gateway binary runs.
/// </summary>
public enum UpdateStep
{
    /// <summary>Fetching the payload into the download folder; the partial file's length is the progress.</summary>
    Downloading,

    /// <summary>Every byte is here; not yet hashed.</summary>
    Downloaded,

    /// <summary>Size and SHA-256 match the signed manifest.</summary>
    Verified,

    /// <summary>Unpacked into the inactive slot, every file flushed to disk.</summary>
    Staged,

    /// <summary>The <c>current</c> link is being (or has been) pointed at the new slot; the next start is a trial boot.</summary>
    Switched,

    /// <summary>The launcher started the new slot; the new version has until the deadline to confirm.</summary>
    Trial,

    /// <summary>The new version passed its health window.</summary>
    Confirmed,

    /// <summary>Given up before the switch; the running version never changed.</summary>
    Failed,

    /// <summary>The launcher went back to the previous slot.</summary>
    RolledBack,
}
