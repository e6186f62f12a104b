using CivicEdge.Protocols.MBus;
using CivicEdge.Transports;

namespace CivicEdge.Fleet.Cli.Tests.MBus;

/// <summary>
/// A meter on the far end of a serial line (a pty at 2400 8E1): answers SND_NKE to its address with E5 and REQ_UD2
/// with its telegram. Stops and closes the line on dispose.
/// </summary>
internal sealed class MbusSerialMeter : IAsyncDisposable
{
    private readonly SerialChannel _line;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte _address;
    private readonly byte[] _telegram;
    private readonly Task _serving;

    public MbusSerialMeter(string path, byte address, byte[] telegram)
    {
        _line = new SerialChannel(new SerialChannelOptions { Path = path, BaudRate = 2400, DataBits = 8, Parity = SerialParity.Even, StopBits = 1 });
        _address = address;
        _telegram = telegram;
        _serving = ServeAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serving;
        _line.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _line.OpenAsync(cancellationToken);
            var buffer = new byte[MbusFramer.MaxFrameLength];
            int count = 0;
            while (true)
            {
                int read = await _line.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                if (read == 0)
                    return;
                count += read;
                var frame = MbusFramer.Decode(buffer.AsSpan(0, count));
                if (frame.Status == MbusDecodeStatus.NeedMoreData)
                    continue;
                count = 0;
                if (frame.Status != MbusDecodeStatus.Complete || frame.Address != _address)
                    continue;
                if (frame.Control == MbusFramer.SendNke)
                    await _line.SendAsync(new byte[] { MbusFramer.Acknowledge }, cancellationToken);
                else if ((frame.Control & ~MbusFramer.FrameCountBit) == MbusFramer.RequestUserData2)
                    await _line.SendAsync(_telegram, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }
    }
}
