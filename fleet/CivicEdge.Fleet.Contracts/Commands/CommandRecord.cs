using System.Text.Json;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>One command to one target as the fleet keeps it: what was asked, by whom, and where it stands.</summary>
/// <param name="Id">The command id (time-ordered).</param>
/// <param name="Target">The device to act on.</param>
/// <param name="Addressee">Who the command is published to: the target's gateway, or the target itself when it has its own uplink.</param>
/// <param name="Tenant">The target's tenant when it was sent.</param>
/// <param name="Name">What to do.</param>
/// <param name="Arguments">A JSON object.</param>
/// <param name="SentBy">The caller as the audit log names it.</param>
/// <param name="CreatedAt">When the fleet accepted it.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Reason">Why it failed, was refused, expired, timed out or was cancelled.</param>
/// <param name="Result">What the device answered.</param>
/// <param name="SentAt">When it was last published to its addressee.</param>
/// <param name="CompletedAt">When it reached its final state.</param>
public sealed record CommandRecord(
    string Id,
    string Target,
    string Addressee,
    string? Tenant,
    string Name,
    JsonElement Arguments,
    string SentBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    CommandState State,
    string? Reason,
    JsonElement? Result,
    DateTimeOffset? SentAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>True once the command cannot change any more.</summary>
    public bool IsFinal => State is not (CommandState.Queued or CommandState.Sent);
}
