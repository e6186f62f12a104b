using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Core.Commands;

/// <summary>How a gateway's answer moves a command: each <see cref="CommandStatus"/> to its final <see cref="CommandState"/>.</summary>
public static class CommandOutcomes
{
    /// <summary>The state <paramref name="result"/> puts a sent command in, with the reason kept.</summary>
    public static (CommandState State, string? Reason) Of(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            CommandStatus.Succeeded => (CommandState.Succeeded, null),
            CommandStatus.Failed => (CommandState.Failed, result.Reason),
            CommandStatus.Rejected => (CommandState.Rejected, result.Reason),
            CommandStatus.Expired => (CommandState.Expired, result.Reason),
            CommandStatus.UnknownTarget => (CommandState.Rejected, $"unknown target: {result.Reason}"),
            _ => throw new ArgumentOutOfRangeException(nameof(result), result.Status, "Not a command status."),
        };
    }
}
