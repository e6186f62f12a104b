using System.Collections.Concurrent;
using CivicEdge.Firmware.Core.Uplink;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// A device's main loop on a thread of its own: it polls the uplink every few milliseconds and runs what the test asks
/// of the app between passes, because the uplink, like the firmware, is used from one thread only.
/// </summary>
internal sealed class DeviceRunner : IAsyncDisposable
{
    private readonly DeviceUplink _uplink;
    private readonly ConcurrentQueue<(Action<DeviceUplink> Action, TaskCompletionSource Done)> _work = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DeviceRunner(DeviceUplink uplink)
    {
        _uplink = uplink;
        _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);
    }

    /// <summary>Runs <paramref name="action"/> on the device's loop.</summary>
    public Task Do(Action<DeviceUplink> action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Enqueue((action, done));
        return done.Task;
    }

    /// <summary>Reads something of the uplink on the device's loop.</summary>
    public async Task<T> Read<T>(Func<DeviceUplink, T> read)
    {
        T value = default!;
        await Do(uplink => value = read(uplink));
        return value;
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the device's loop; fails naming <paramref name="what"/> after the timeout.</summary>
    public async Task WaitUntil(Func<DeviceUplink, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await Read(condition))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting until {what}; the uplink's last error: {await Read(u => u.LastError)}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _uplink.Stop();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            while (_work.TryDequeue(out var item))
            {
                try
                {
                    item.Action(_uplink);
                    item.Done.SetResult();
                }
                catch (Exception exception)
                {
                    item.Done.SetException(exception);
                }
            }

            _uplink.Poll();
            Thread.Sleep(5);
        }
    }
}
