using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>How a gateway says a command ended, in a <see cref="CommandResult"/>.</summary>
public enum CommandStatus
{
    /// <summary>Executed; <see cref="CommandResult.Result"/> holds the outcome.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Tried and failed; <see cref="CommandResult.Reason"/> says why.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Refused before anything was tried (not writable, out of range, rate limit, unknown command or arguments).</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Arrived after its expiry; not executed.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,

    /// <summary>The target is neither the gateway nor a device it runs.</summary>
    [JsonStringEnumMemberName("unknownTarget")]
    UnknownTarget,
}
