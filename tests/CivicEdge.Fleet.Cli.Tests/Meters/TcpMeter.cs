using System.Net;
using System.Net.Sockets;

namespace CivicEdge.Fleet.Cli.Tests.Meters;

/// <summary>
/// A meter behind a transparent TCP converter, on an OS-chosen loopback port: each request it receives in one read is
/// answered with what the script returns (nothing for silence).
/// </summary>
internal sealed class TcpMeter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public TcpMeter(Func<byte[], byte[]> script)
    {
        _listener.Start();
        _serving = ServeAsync(script, _stop.Token);
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(Func<byte[], byte[]> script, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(ct);
            var stream = client.GetStream();
            var buffer = new byte[512];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                var answer = script(buffer[..read]);
                if (answer.Length > 0)
                    await stream.WriteAsync(answer, ct);
            }
        }
    }
}
