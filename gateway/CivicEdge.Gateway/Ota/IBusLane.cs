namespace CivicEdge.Gateway.Ota;

/// <summary>
/// A turn on a device's bus: the work runs between two polls, so a half-duplex line carries one transaction at a time
/// and polling goes on around an update.
/// </summary>
public interface IBusLane
{
    /// <summary>Runs <paramref name="work"/> at the lane's next turn.</summary>
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
