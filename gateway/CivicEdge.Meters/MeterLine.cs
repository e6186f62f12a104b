using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Meters;

/// <summary>
/// One half-duplex meter line: one request at a time, callers queue. Before each request stray bytes are thrown away;
/// after it, bytes are framed as they arrive, and anything that is not the awaited answer (noise, the echo of the
/// request on a two-wire adapter, another meter's frame) is dropped and counted, never taken for the answer.
/// </summary>
internal sealed partial class MeterLine : IDisposable
{
    // Room for the longest frame of either protocol with noise before it.
    private const int ReceiveCapacity = 1024;

    private readonly IByteChannel _channel;
    private readonly MeterLineOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _received = new byte[ReceiveCapacity];

    public MeterLine(IByteChannel channel, MeterLineOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _channel = channel;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Name => _channel.Name;

    public int PreambleLength => _options.PreambleLength;

    /// <summary>Bytes dropped since the line was made: noise, echoes, other meters' frames.</summary>
    public long DiscardedBytes { get; private set; }

    /// <summary>Sends <paramref name="request"/> and returns the first frame <paramref name="judge"/> accepts, retrying on silence.</summary>
    public async Task<MeterResult<byte[]>> ExchangeAsync(ReadOnlyMemory<byte> request, Func<ReadOnlyMemory<byte>, MeterFrameVerdict> judge, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string lastReason = "no answer";
            var failure = MeterFailure.NoAnswer;
            for (int attempt = 1; attempt <= 1 + _options.Retries; attempt++)
            {
                await _channel.OpenAsync(cancellationToken).ConfigureAwait(false);
                await DiscardStrayAsync(cancellationToken).ConfigureAwait(false);
                await _channel.SendAsync(request, cancellationToken).ConfigureAwait(false);

                using var deadline = new CancellationTokenSource(_options.ResponseTimeout, _timeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
                int count = 0;
                string? dropped = null;
                string? droppedBytes = null;
                try
                {
                    while (true)
                    {
                        while (count > 0)
                        {
                            var verdict = judge(_received.AsMemory(0, count));
                            if (verdict.Kind == MeterFrameVerdictKind.Accept)
                                return MeterResult<byte[]>.Success(_received[..verdict.Length]);
                            if (verdict.Kind == MeterFrameVerdictKind.NeedMoreData && count < _received.Length)
                                break;
                            int drop = verdict.Kind == MeterFrameVerdictKind.Skip ? Math.Clamp(verdict.Length, 1, count) : 1;
                            dropped = verdict.Reason ?? "receive buffer full without a frame";
                            droppedBytes = Convert.ToHexString(_received, 0, drop);
                            Discard(drop, dropped, droppedBytes);
                            _received.AsSpan(drop, count - drop).CopyTo(_received);
                            count -= drop;
                        }

                        int read = await _channel.ReceiveAsync(_received.AsMemory(count), linked.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            lastReason = $"the link {_channel.Name} closed while waiting for the answer";
                            failure = MeterFailure.LinkClosed;
                            _channel.Close();
                            break;
                        }

                        count += read;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    lastReason = (count, dropped) switch
                    {
                        (> 0, _) => $"an incomplete answer of {count} bytes within {_options.ResponseTimeout.TotalMilliseconds} ms: {Convert.ToHexString(_received, 0, count)}",
                        (_, null) => $"no answer within {_options.ResponseTimeout.TotalMilliseconds} ms",
                        _ => $"no valid answer within {_options.ResponseTimeout.TotalMilliseconds} ms; last dropped: {dropped} ({droppedBytes})",
                    };
                    failure = count > 0 || dropped is not null ? MeterFailure.Damaged : MeterFailure.NoAnswer;
                }
            }

            LogNoAnswer(_channel.Name, 1 + _options.Retries, lastReason);
            return MeterResult<byte[]>.Failed(failure, $"{lastReason} on {_channel.Name} after {1 + _options.Retries} attempt(s)");
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _gate.Dispose();
    }

    private async Task DiscardStrayAsync(CancellationToken cancellationToken)
    {
        while (_channel.Available > 0)
        {
            int read = await _channel.ReceiveAsync(_received, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return;
            Discard(read, "stray bytes before the request", Convert.ToHexString(_received, 0, read));
        }
    }

    private void Discard(int count, string reason, string frameHex)
    {
        DiscardedBytes += count;
        LogDiscarded(count, _channel.Name, reason, frameHex);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discarded {Count} bytes on {Line}: {Reason}. Bytes: {FrameHex}")]
    private partial void LogDiscarded(int count, string line, string reason, string frameHex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No valid answer on {Line} after {Attempts} attempt(s): {Reason}")]
    private partial void LogNoAnswer(string line, int attempts, string reason);
}
