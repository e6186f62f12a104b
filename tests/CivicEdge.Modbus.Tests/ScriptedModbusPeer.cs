using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CivicEdge.Modbus.Tests;

/// <summary>One request as a <see cref="ScriptedModbusPeer"/> received it.</summary>
/// <param name="Connection">0 for the first connection accepted, 1 for the next, …</param>
/// <param name="Index">0 for the first request of the whole peer, 1 for the next, …</param>
/// <param name="TransactionId">As the request carried it.</param>
/// <param name="UnitId">As the request carried it.</param>
/// <param name="Pdu">The request PDU, starting at the function code.</param>
internal sealed record PeerRequest(int Connection, int Index, ushort TransactionId, byte UnitId, byte[] Pdu)
{
    /// <summary>An ADU answering this request with <paramref name="pdu"/>, with header fields overridable to misbehave.</summary>
    public byte[] Answer(byte[] pdu, ushort? transactionId = null, byte? unitId = null, ushort protocolId = 0)
    {
        var adu = new byte[7 + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(adu, transactionId ?? TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(2), protocolId);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(pdu.Length + 1));
        adu[6] = unitId ?? UnitId;
        pdu.CopyTo(adu, 7);
        return adu;
    }

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
/// A Modbus TCP peer built on the plain BCL socket API, independent of the code under test, that answers each request
/// with whatever chunks the script returns: nothing, garbage, the wrong transaction, one byte at a time.
/// </summary>
internal sealed class ScriptedModbusPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<PeerRequest, IReadOnlyList<byte[]>> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly List<Task> _tasks = [];
    private int _connections;
    private int _requests;

    private ScriptedModbusPeer(Func<PeerRequest, IReadOnlyList<byte[]>> script)
    {
        _script = script;
        _listener.Start();
        lock (_tasks)
            _tasks.Add(AcceptAsync());
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public static ScriptedModbusPeer Start(Func<PeerRequest, IReadOnlyList<byte[]>> script) => new(script);

    /// <summary>Accepts and reads requests but never answers.</summary>
    public static ScriptedModbusPeer Silent() => new(_ => []);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
            client.Dispose();
        Task[] tasks;
        lock (_tasks)
            tasks = [.. _tasks];
        await Task.WhenAll(tasks);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Stopping the listener ends a pending accept with one exception or another.
                return;
            }

            _clients.Add(client);
            int connection = Interlocked.Increment(ref _connections) - 1;
            lock (_tasks)
                _tasks.Add(ServeAsync(client, connection));
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        // A script that throws hangs up on the client, as a crashing device would.
        using var hangUp = client;
        var stream = client.GetStream();
        var header = new byte[7];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(header, _stop.Token);
                var pdu = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)) - 1];
                await stream.ReadExactlyAsync(pdu, _stop.Token);
                var request = new PeerRequest(connection, Interlocked.Increment(ref _requests) - 1,
                    BinaryPrimitives.ReadUInt16BigEndian(header), header[6], pdu);
                foreach (var chunk in _script(request))
                {
                    await stream.WriteAsync(chunk, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested || e is IOException)
        {
            // The client left, the script hung up, or the peer is stopping: this connection is over.
        }
    }
}
