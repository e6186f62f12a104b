using System.Buffers.Binary;
using System.IO.Ports;
using System.Net;
using System.Net.Sockets;

namespace CivicEdge.Modbus.Tests.Master;

/// <summary>One RTU request as a <see cref="ScriptedRtuPeer"/> received it, CRC checked and stripped.</summary>
/// <param name="Index">0 for the first request, 1 for the next, …</param>
/// <param name="UnitId">The slave address the request carried.</param>
/// <param name="Pdu">The request PDU, starting at the function code.</param>
/// <param name="Adu">The request as it came off the line, address and CRC included.</param>
internal sealed record RtuPeerRequest(int Index, byte UnitId, byte[] Pdu, byte[] Adu)
{
    /// <summary>An ADU answering with <paramref name="pdu"/>: address, PDU, CRC; address overridable to misbehave.</summary>
    public byte[] Answer(byte[] pdu, byte? unitId = null) => ScriptedRtuPeer.Frame(unitId ?? UnitId, pdu);

    /// <summary>The registers a function code 3 or 4 request asks for, each holding its own address.</summary>
    public byte[] AddressesAsRegisters()
    {
        int address = BinaryPrimitives.ReadUInt16BigEndian(Pdu.AsSpan(1));
        int quantity = BinaryPrimitives.ReadUInt16BigEndian(Pdu.AsSpan(3));
        var pdu = new byte[2 + (2 * quantity)];
        pdu[0] = Pdu[0];
        pdu[1] = (byte)(2 * quantity);
        for (int i = 0; i < quantity; i++)
            BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(2 + (2 * i)), (ushort)(address + i));
        return pdu;
    }
}

/// <summary>
/// A slave side of an RTU line built on the plain BCL (a serial port or a TCP socket), independent of the code under
/// test: it cuts requests by their function code's length, checks the CRC with its own bit-by-bit routine, and answers
/// each with whatever chunks the script returns, with the chunks written separately.
/// </summary>
internal sealed class ScriptedRtuPeer : IAsyncDisposable
{
    private readonly Func<RtuPeerRequest, IReadOnlyList<byte[]>> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RtuPeerRequest> _requests = [];
    private readonly IDisposable _resource;
    private readonly Task _loop;

    private ScriptedRtuPeer(IDisposable resource, Func<CancellationToken, Task<Stream>> open, Func<RtuPeerRequest, IReadOnlyList<byte[]>> script)
    {
        _resource = resource;
        _script = script;
        _loop = Task.Run(() => RunAsync(open));
    }

    /// <summary>The port of a TCP peer (RTU over TCP).</summary>
    public int Port { get; private init; }

    public IReadOnlyList<RtuPeerRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>Opens the pty at <paramref name="path"/> and serves it.</summary>
    public static ScriptedRtuPeer OnSerial(string path, Func<RtuPeerRequest, IReadOnlyList<byte[]>> script)
    {
        var port = new SerialPort(path, 9600, Parity.None, 8, StopBits.One);
        port.Open();
        return new ScriptedRtuPeer(port, _ => Task.FromResult(port.BaseStream), script);
    }

    /// <summary>Listens on a loopback port and serves the first connection, as a serial-to-Ethernet converter would.</summary>
    public static ScriptedRtuPeer OnTcp(Func<RtuPeerRequest, IReadOnlyList<byte[]>> script)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var resource = new ListenerResource(listener);
        return new ScriptedRtuPeer(resource, async ct =>
        {
            var client = await listener.AcceptTcpClientAsync(ct);
            client.NoDelay = true;
            resource.Client = client;
            return client.GetStream();
        }, script)
        {
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
        };
    }

    public static byte[] Frame(byte unitId, byte[] pdu)
    {
        var adu = new byte[pdu.Length + 3];
        adu[0] = unitId;
        pdu.CopyTo(adu, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(adu.AsSpan(adu.Length - 2), Crc(adu.AsSpan(0, adu.Length - 2)));
        return adu;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _resource.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // The loop ends by being cut off.
        }
        catch (InvalidOperationException) when (_resource is ListenerResource)
        {
            // A test that sends nothing disposes the peer before its loop got to accept: the stopped listener says "Not listening".
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<CancellationToken, Task<Stream>> open)
    {
        var ct = _stop.Token;
        var stream = await open(ct);
        for (int index = 0; ; index++)
        {
            var adu = await ReadRequestAsync(stream, ct);
            var request = new RtuPeerRequest(index, adu[0], adu[1..^2], adu);
            lock (_requests)
                _requests.Add(request);
            foreach (var chunk in _script(request))
            {
                await stream.WriteAsync(chunk, ct);
                await stream.FlushAsync(ct);
            }
        }
    }

    private static async Task<byte[]> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[2];
        await stream.ReadExactlyAsync(head, ct);

        // Bytes after the function code: address/quantity (4) + CRC (2) for function codes 1..6; a byte count at
        // the end of a fixed part decides the rest for 15, 16 (§6.11, §6.12) and 23 (§6.17); 43/14 is MEI type,
        // read device id code and object id (§6.21); 20 and 21 carry their data length first (§6.14, §6.15).
        byte[] rest;
        if (head[1] is 0x14 or 0x15)
        {
            var length = new byte[1];
            await stream.ReadExactlyAsync(length, ct);
            var tail = new byte[length[0] + 2];
            await stream.ReadExactlyAsync(tail, ct);
            rest = [.. length, .. tail];
        }
        else if (head[1] is 0x0F or 0x10 or 0x17)
        {
            var fixedPart = new byte[head[1] == 0x17 ? 9 : 5];
            await stream.ReadExactlyAsync(fixedPart, ct);
            var tail = new byte[fixedPart[^1] + 2];
            await stream.ReadExactlyAsync(tail, ct);
            rest = [.. fixedPart, .. tail];
        }
        else
        {
            rest = new byte[head[1] == 0x2B ? 5 : 6];
            await stream.ReadExactlyAsync(rest, ct);
        }

        byte[] adu = [.. head, .. rest];
        if (BinaryPrimitives.ReadUInt16LittleEndian(adu.AsSpan(adu.Length - 2)) != Crc(adu.AsSpan(0, adu.Length - 2)))
            throw new InvalidDataException($"The master sent a request with a bad CRC: {Convert.ToHexString(adu)}.");
        return adu;
    }

    // CRC-16/MODBUS bit by bit (Serial Line V1.02 §6.2.2), deliberately not the table-driven code under test.
    private static ushort Crc(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
        }

        return crc;
    }

    private sealed class ListenerResource(TcpListener listener) : IDisposable
    {
        public TcpClient? Client { get; set; }

        public void Dispose()
        {
            listener.Stop();
            Client?.Dispose();
        }
    }
}
