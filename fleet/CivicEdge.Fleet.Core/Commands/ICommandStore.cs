using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Core.Commands;

/// <summary>
/// Where the fleet keeps command records. One contract, several engines, like <see cref="IFleetStore"/>; every
/// implementation runs the same contract tests. State changes are compare-and-set, so that a result, a cancellation and
/// the expiry sweep racing on one command (on one node or several) leave exactly one of them standing.
/// </summary>
public interface ICommandStore
{
    /// <summary>Adds commands, all or none.</summary>
    /// <exception cref="InvalidOperationException">A command with one of the ids exists; nothing was added.</exception>
    Task AddCommandsAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken);

    /// <summary>The command with <paramref name="id"/>, or null.</summary>
    Task<CommandRecord?> FindCommandAsync(string id, CancellationToken cancellationToken);

    /// <summary>The commands <paramref name="query"/> matches, oldest first (by creation time, then id); the newest <see cref="CommandQuery.Limit"/> when more match.</summary>
    Task<IReadOnlyList<CommandRecord>> ListCommandsAsync(CommandQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the command with <paramref name="updated"/> (same id) if its stored state is still
    /// <paramref name="expected"/>; false, and nothing changed, otherwise.
    /// </summary>
    Task<bool> TryUpdateCommandAsync(CommandRecord updated, CommandState expected, CancellationToken cancellationToken);
}
