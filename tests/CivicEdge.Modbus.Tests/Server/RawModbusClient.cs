using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CivicEdge.Modbus.Tests.Server;

/// <summary>A Modbus TCP client on the plain BCL socket API that sends exactly the bytes a test gives it.</summary>
internal sealed class RawModbusClient : IDisposable
{
    private readonly TcpClient _client = new();

    private RawModbusClient()
    {
    }

    public static async Task<RawModbusClient> ConnectAsync(IPEndPoint server)
    {
        var raw = new RawModbusClient();
        await raw._client.ConnectAsync(server);
        raw._client.NoDelay = true;
        return raw;
    }

    public static byte[] Adu(ushort transactionId, byte unitId, string pduHex)
    {
        var pdu = Convert.FromHexString(pduHex.Replace(" ", "", StringComparison.Ordinal));
        var adu = new byte[7 + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(adu, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(pdu.Length + 1));
        adu[6] = unitId;
        pdu.CopyTo(adu, 7);
        return adu;
    }

    public async Task SendAsync(params byte[][] chunks)
    {
        foreach (var chunk in chunks)
            await _client.GetStream().WriteAsync(chunk);
    }

    /// <summary>Reads one response: (transaction id, unit id, PDU as hex without spaces).</summary>
    public async Task<(ushort TransactionId, byte UnitId, string Pdu)> ReceiveAsync()
    {
        var stream = _client.GetStream();
        var header = new byte[7];
        await stream.ReadExactlyAsync(header);
        var pdu = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)) - 1];
        await stream.ReadExactlyAsync(pdu);
        return (BinaryPrimitives.ReadUInt16BigEndian(header), header[6], Convert.ToHexString(pdu));
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, whatever they are.</summary>
    public async Task<byte[]> ReceiveBytesAsync(int count)
    {
        var bytes = new byte[count];
        await _client.GetStream().ReadExactlyAsync(bytes);
        return bytes;
    }

    /// <summary>How many received bytes wait to be read.</summary>
    public int Available => _client.Available;

    /// <summary>Whether the server closed the connection: a read ends with no data (or a reset).</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        try
        {
            return await _client.GetStream().ReadAsync(new byte[1]) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _client.Dispose();
}
