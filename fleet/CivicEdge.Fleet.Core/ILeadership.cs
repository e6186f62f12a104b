namespace CivicEdge.Fleet.Core;

/// <summary>The right to run one single-leader job, held until disposed.</summary>
public interface ILeadership : IAsyncDisposable
{
    /// <summary>The job led.</summary>
    string Job { get; }

    /// <summary>
    /// Cancelled when the leadership is lost without being disposed, e.g. when the database session that holds it ends:
    /// another node may lead the job from then on, so the job must stop.
    /// </summary>
    CancellationToken Lost { get; }
}
