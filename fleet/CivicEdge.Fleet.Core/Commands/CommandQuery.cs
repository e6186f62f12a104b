using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Core.Commands;

/// <summary>
/// Which commands to list: every filter given must hold (null means any). Every store answers exactly what
/// <see cref="Matches"/> says.
/// </summary>
public sealed record CommandQuery
{
    public static CommandQuery All { get; } = new();

    /// <summary>Commands to this target.</summary>
    public string? Target { get; init; }

    /// <summary>Commands published to this gateway or device.</summary>
    public string? Addressee { get; init; }

    /// <summary>Commands in one of these states.</summary>
    public IReadOnlyList<CommandState>? States { get; init; }

    /// <summary>Commands expiring at or before this instant.</summary>
    public DateTimeOffset? ExpiresBy { get; init; }

    /// <summary>At most this many, the newest; null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>Commands that are still open: queued or sent.</summary>
    public static IReadOnlyList<CommandState> Open { get; } = [CommandState.Queued, CommandState.Sent];

    public bool Matches(CommandRecord command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return (Target is null || string.Equals(command.Target, Target, StringComparison.Ordinal))
            && (Addressee is null || string.Equals(command.Addressee, Addressee, StringComparison.Ordinal))
            && (States is null || States.Contains(command.State))
            && (ExpiresBy is null || command.ExpiresAt <= ExpiresBy);
    }

    /// <summary>Oldest first, by creation time then id: the order commands are delivered in.</summary>
    public static IReadOnlyList<CommandRecord> Order(IEnumerable<CommandRecord> commands, int? limit)
    {
        var ordered = commands.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        return limit is { } n && ordered.Count > n ? ordered[^n..] : ordered;
    }
}
