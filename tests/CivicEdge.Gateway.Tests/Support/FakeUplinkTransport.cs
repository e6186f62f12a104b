using System.Threading.Channels;
using CivicEdge.Gateway.Uplink;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>An uplink whose connections are <see cref="FakeUplinkSession"/>s; connection attempts can be made to fail.</summary>
internal sealed class FakeUplinkTransport : IUplinkTransport
{
    private readonly Channel<FakeUplinkSession> _sessions = Channel.CreateUnbounded<FakeUplinkSession>();
    private int _attempts;

    /// <summary>How many of the next connection attempts fail.</summary>
    public int FailNext { get; set; }

    public int Attempts => Volatile.Read(ref _attempts);

    public Task<IUplinkSession> ConnectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _attempts);
        if (FailNext > 0)
        {
            FailNext--;
            throw new IOException("connection refused");
        }

        var session = new FakeUplinkSession();
        _sessions.Writer.TryWrite(session);
        return Task.FromResult<IUplinkSession>(session);
    }

    /// <summary>The next session opened.</summary>
    public Task<FakeUplinkSession> NextSessionAsync() => _sessions.Reader.ReadAsync().AsTask().WaitAsync(Wait.Limit);

    public bool TryTakeSession(out FakeUplinkSession? session) => _sessions.Reader.TryRead(out session);
}
