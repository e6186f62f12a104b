using CivicEdge.Gateway.Acquisition;

namespace CivicEdge.Gateway.Ota;

/// <summary>A device's turns in its bus scheduler's lane (<see cref="BusScheduler.RunExclusiveAsync{T}"/>).</summary>
public sealed class SchedulerBusLane(BusScheduler scheduler, DevicePoller device) : IBusLane
{
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        scheduler.RunExclusiveAsync(device, work, cancellationToken);
}
