namespace CivicEdge.Gateway.Ota;

/// <summary>A bus the update has to itself (commissioning, a bench, a benchmark): work runs at once.</summary>
public sealed class DirectBusLane : IBusLane
{
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(cancellationToken);
    }
}
