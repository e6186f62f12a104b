using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Gateway.Commands;

/// <summary>How the gateway ended a command: the status, why (unless it succeeded) and what the device answered.</summary>
public sealed record CommandOutcome(CommandStatus Status, string? Reason, JsonElement? Result)
{
    public static CommandOutcome Rejected(string reason) => new(CommandStatus.Rejected, reason, null);

    public static CommandOutcome Failed(string reason) => new(CommandStatus.Failed, reason, null);
}
