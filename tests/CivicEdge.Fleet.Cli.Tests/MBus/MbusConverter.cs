using System.Net;
using System.Net.Sockets;
using CivicEdge.Protocols.MBus;

namespace CivicEdge.Fleet.Cli.Tests.MBus;

/// <summary>
/// A transparent M-Bus-to-TCP converter on an OS-chosen loopback port with meters behind it: each answers SND_NKE with
/// E5 and REQ_UD2 with its telegram. Stops and closes on dispose.
/// </summary>
internal sealed class MbusConverter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<byte, byte[]> _meters;
    private readonly Task _serving;

    public MbusConverter(Dictionary<byte, byte[]> meters)
    {
        _meters = meters;
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
                await AnswerAsync(client.GetStream(), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MbusFramer.MaxFrameLength];
        int count = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken);
            if (read == 0)
                return;
            count += read;
            var frame = MbusFramer.Decode(buffer.AsSpan(0, count));
            if (frame.Status == MbusDecodeStatus.NeedMoreData)
                continue;
            count = 0;
            if (frame.Status != MbusDecodeStatus.Complete || !_meters.TryGetValue(frame.Address, out var telegram))
                continue;
            if (frame.Control == MbusFramer.SendNke)
                await stream.WriteAsync(new byte[] { MbusFramer.Acknowledge }, cancellationToken);
            else if ((frame.Control & ~MbusFramer.FrameCountBit) == MbusFramer.RequestUserData2)
                await stream.WriteAsync(telegram, cancellationToken);
        }
    }
}
