namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>Commands</c> section: how the gateway executes the fleet's commands (<c>civic/v1/{id}/commands</c>). Writes
/// reach only writable points of a device's profile and the gateway's own GPIO outputs, within their limits.
/// </summary>
public sealed class CommandOptions
{
    public const string SectionName = "Commands";

    /// <summary>False to take no commands at all (the gateway then does not subscribe to its command topic).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The most writes one device takes in any minute; more are rejected, so that a runaway script cannot hammer a
    /// field bus or chatter a relay. Reads are not limited.
    /// </summary>
    public int MaxWritesPerMinute { get; set; } = 12;

    /// <summary>The longest one command may take on its bus (queueing behind polls included) before it is reported failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many recent command ids (with their results) the gateway database keeps, so that a command delivered twice runs once.</summary>
    public int RememberedCommands { get; set; } = 1000;
}
