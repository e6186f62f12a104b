using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Meters;

/// <summary>
/// A DL/T 645 master on one line (2400 8E1 is the common default of DL/T 645-2007 meters; the line's settings belong to
/// its channel): read data by identifier, read the address of a lone meter, broadcast time.
/// </summary>
public sealed class Dlt645Master : IDisposable
{
    private readonly MeterLine _line;
    private readonly Dlt645Version _version;

    /// <summary>A master on <paramref name="channel"/>, which it owns from now on and disposes.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public Dlt645Master(IByteChannel channel, MeterLineOptions options, Dlt645Version version = Dlt645Version.V2007, TimeProvider? timeProvider = null, ILogger<Dlt645Master>? logger = null)
    {
        _line = new MeterLine(channel, options, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _version = version;
    }

    /// <summary>Bytes dropped so far: noise, echoes, other meters' frames.</summary>
    public long DiscardedBytes => _line.DiscardedBytes;

    /// <summary>
    /// Reads one data item. A normal reply for the identifier asked and an abnormal reply (its error byte in
    /// <see cref="Dlt645Reply.Errors"/>) both succeed; a reply for another identifier is dropped as not ours.
    /// </summary>
    public async Task<MeterResult<Dlt645Reply>> ReadAsync(MeterAddress address, uint identifier, CancellationToken cancellationToken)
    {
        var request = new byte[Dlt645Framer.Overhead + 4 + _line.PreambleLength];
        int length = _version == Dlt645Version.V2007
            ? Dlt645Request.EncodeReadData(request, address, identifier, _line.PreambleLength)
            : Dlt645Request.EncodeReadData1997(request, address, checked((ushort)identifier), _line.PreambleLength);
        return await ExchangeAsync(request.AsMemory(0, length), address,
            reply => reply.Kind == Dlt645ReplyKind.Error || (reply.Kind == Dlt645ReplyKind.Data && reply.Identifier == identifier), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the address of the only meter on the line (13H to AAAAAAAAAAAA).</summary>
    public async Task<MeterResult<MeterAddress>> ReadAddressAsync(CancellationToken cancellationToken)
    {
        var request = new byte[Dlt645Framer.Overhead + _line.PreambleLength];
        int length = Dlt645Request.EncodeReadAddress(request, _line.PreambleLength);
        var result = await ExchangeAsync(request.AsMemory(0, length), MeterAddress.Wildcard(Dlt645Framer.AddressLength),
            reply => reply.Kind is Dlt645ReplyKind.Address or Dlt645ReplyKind.Error, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            return MeterResult<MeterAddress>.Failed(result.Failure, result.Reason);
        return result.Value.Kind == Dlt645ReplyKind.Address
            ? MeterResult<MeterAddress>.Success(result.Value.Address)
            : MeterResult<MeterAddress>.Failed(MeterFailure.Refused, $"the meter refused read address: {result.Value.Errors}");
    }

    public void Dispose() => _line.Dispose();

    private Task<MeterResult<Dlt645Reply>> ExchangeAsync(
        ReadOnlyMemory<byte> request, MeterAddress address, Func<Dlt645Reply, bool> isAnswer, CancellationToken cancellationToken)
    {
        Dlt645Reply? answer = null;
        return ExchangeCoreAsync();

        async Task<MeterResult<Dlt645Reply>> ExchangeCoreAsync()
        {
            var result = await _line.ExchangeAsync(request, Judge, cancellationToken).ConfigureAwait(false);
            return result.Succeeded ? MeterResult<Dlt645Reply>.Success(answer!) : MeterResult<Dlt645Reply>.Failed(result.Failure, result.Reason);
        }

        MeterFrameVerdict Judge(ReadOnlyMemory<byte> received)
        {
            var span = received.Span;
            var frame = Dlt645Framer.Decode(span);
            switch (frame.Status)
            {
                case MeterDecodeStatus.NeedMoreData:
                    return MeterFrameVerdict.NeedMoreData;
                case MeterDecodeStatus.Malformed:
                    return MeterFrameVerdict.Skip(1, frame.ToString());
            }

            if (!frame.Control.IsResponse)
                return MeterFrameVerdict.Skip(frame.Length, $"a request (control {frame.Control.Value:X2}H), e.g. the echo of ours");
            if (!address.Matches(frame.Address))
                return MeterFrameVerdict.Skip(frame.Length, $"an answer from meter {frame.Address}, not {address}");
            if (!Dlt645Reply.TryDecode(frame, span, _version, out var reply, out var reason))
                return MeterFrameVerdict.Skip(frame.Length, reason);
            if (!isAnswer(reply))
                return MeterFrameVerdict.Skip(frame.Length, $"a reply that does not answer the request: control {reply.Control.Value:X2}H, identifier {reply.Identifier:X}");
            answer = reply;
            return MeterFrameVerdict.Accept(frame.Length);
        }
    }
}
