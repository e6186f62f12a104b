using System.Net;
using System.Net.Sockets;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// The device's network between it and the broker: a TCP relay on an OS-chosen loopback port that a test can cut (every
/// connection dropped, new ones refused) or hold (nothing reaches the device, as when a cell link stalls).
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private volatile bool _held;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    /// <summary>Keeps connections open but lets nothing from the broker through to the device.</summary>
    public void Hold() => _held = true;

    public void Restore()
    {
        _held = false;
        _cut = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient device;
            try
            {
                device = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                device.Dispose();
                continue;
            }

            var broker = new TcpClient();
            try
            {
                await broker.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                device.Dispose();
                broker.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(device);
                _open.Add(broker);
            }

            _ = PumpAsync(device, broker, fromBroker: false);
            _ = PumpAsync(broker, device, fromBroker: true);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool fromBroker)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                    break;
                while (fromBroker && _held && !_cut)
                    await Task.Delay(10, _stop.Token);
                if (_cut)
                    break;
                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            // A cut connection ends its pumps.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
