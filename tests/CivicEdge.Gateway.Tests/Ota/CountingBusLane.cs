using CivicEdge.Gateway.Ota;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>A lane that runs work at once and notes the most transactions it ever saw under way together.</summary>
internal sealed class CountingBusLane : IBusLane
{
    private int _now;
    private int _most;

    public int MostAtOnce => Volatile.Read(ref _most);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _now);
        int most;
        while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
        {
        }

        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _now);
        }
    }
}
