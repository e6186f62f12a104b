using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>A master on the other end of a pty that writes exactly the bytes a test gives it and reads raw bytes back.</summary>
internal sealed class RawRtuMaster : IDisposable
{
    private readonly SerialChannel _channel;

    private RawRtuMaster(SerialChannel channel) => _channel = channel;

    public static async Task<RawRtuMaster> OpenAsync(string path)
    {
        var channel = new SerialChannel(new SerialChannelOptions { Path = path, Parity = Transports.SerialParity.None, ReadTimeout = TimeSpan.FromSeconds(10) });
        await channel.OpenAsync(CancellationToken.None);
        return new RawRtuMaster(channel);
    }

    /// <summary>An RTU frame of <paramref name="unit"/> and the PDU in hex, with its CRC (spoilt when asked).</summary>
    public static byte[] Frame(byte unit, string pduHex, bool spoilCrc = false)
    {
        var pdu = Convert.FromHexString(pduHex.Replace(" ", "", StringComparison.Ordinal));
        var frame = new byte[pdu.Length + ModbusRtuFramer.Overhead];
        ModbusRtuFramer.Encode(frame, unit, pdu);
        if (spoilCrc)
            frame[^1] ^= 0x5A;
        return frame;
    }

    public async Task SendAsync(params byte[][] frames)
    {
        foreach (var frame in frames)
            await _channel.SendAsync(frame, CancellationToken.None);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public async Task<byte[]> ReceiveAsync(int count)
    {
        var bytes = new byte[count];
        int received = 0;
        while (received < count)
            received += await _channel.ReceiveAsync(bytes.AsMemory(received), CancellationToken.None);
        return bytes;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes and notes when each read returned: (bytes so far, time).</summary>
    public async Task<(byte[] Bytes, List<(int Received, long At)> Arrivals)> ReceiveTimedAsync(int count)
    {
        var bytes = new byte[count];
        var arrivals = new List<(int, long)>();
        int received = 0;
        while (received < count)
        {
            received += await _channel.ReceiveAsync(bytes.AsMemory(received), CancellationToken.None);
            arrivals.Add((received, TimeProvider.System.GetTimestamp()));
        }

        return (bytes, arrivals);
    }

    public void Dispose() => _channel.Dispose();
}
