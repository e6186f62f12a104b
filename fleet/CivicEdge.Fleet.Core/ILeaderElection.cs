namespace CivicEdge.Fleet.Core;

/// <summary>
/// Chooses the one fleet node that runs a single-leader job (retention, the offline detector, the campaign scheduler)
/// when several nodes share one store. No home-made consensus: PostgreSQL's advisory locks decide between nodes; a
/// single node with an embedded store simply leads.
/// </summary>
public interface ILeaderElection
{
    /// <summary>
    /// Makes this node the leader of <paramref name="job"/> if no other node (and no other caller here) is; returns
    /// null when someone else leads it. The leadership lasts until it is disposed or lost.
    /// </summary>
    /// <param name="job">The job's name, the same on every node, e.g. <c>retention</c>.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    Task<ILeadership?> TryLeadAsync(string job, CancellationToken cancellationToken);
}
