using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>
/// Where one command to one target stands: <c>queued</c> → <c>sent</c> → one final state. A queued command whose
/// expiry passes becomes <c>expired</c> without being sent; a sent one that gets no result by its expiry, <c>timedOut</c>.
/// </summary>
public enum CommandState
{
    /// <summary>Stored, waiting for its gateway (or device) to be connected.</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,

    /// <summary>Published to its gateway; no result yet.</summary>
    [JsonStringEnumMemberName("sent")]
    Sent,

    /// <summary>Executed; the result holds what the device answered.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Tried and failed (the device did not answer, answered with an exception, the output could not be set).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Refused by the gateway before anything was tried: unknown target or command, not writable, out of range, rate limit.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Sent, but no result came back before the command expired.</summary>
    [JsonStringEnumMemberName("timedOut")]
    TimedOut,

    /// <summary>Expired before it could be executed: never sent, or refused as expired by the gateway.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>Cancelled by a person before it was executed.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
