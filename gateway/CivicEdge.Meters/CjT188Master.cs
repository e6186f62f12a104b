using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Meters;

/// <summary>
/// A CJ/T 188-2004 master on one line of water, gas or heat meters: read meter data (901FH), valve control (A017H),
/// read the address of a lone meter (810AH). The DI byte order is the meters' profile setting.
/// </summary>
public sealed class CjT188Master : IDisposable
{
    private readonly MeterLine _line;
    private readonly CjT188IdentifierOrder _order;
    private byte _serial;

    /// <summary>A master on <paramref name="channel"/>, which it owns from now on and disposes.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public CjT188Master(IByteChannel channel, MeterLineOptions options, CjT188IdentifierOrder order, TimeProvider? timeProvider = null, ILogger<CjT188Master>? logger = null)
    {
        if (!Enum.IsDefined(order))
            throw new ArgumentOutOfRangeException(nameof(order), order, "Expected HighByteFirst or LowByteFirst.");
        _line = new MeterLine(channel, options, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _order = order;
    }

    /// <summary>Bytes dropped so far: noise, echoes, other meters' frames.</summary>
    public long DiscardedBytes => _line.DiscardedBytes;

    /// <summary>Reads meter data; decode the payload with <see cref="CjT188MeterData"/> or <see cref="CjT188HeatMeterData"/> by meter type.</summary>
    public Task<MeterResult<CjT188Reply>> ReadMeterDataAsync(CjT188MeterType meterType, MeterAddress address, CancellationToken cancellationToken)
    {
        var serial = _serial++;
        var request = new byte[CjT188Framer.Overhead + 3 + _line.PreambleLength];
        int length = CjT188Request.EncodeReadMeterData(request, meterType, address, _order, serial, _line.PreambleLength);
        return ExchangeAsync(request.AsMemory(0, length), address, CjT188Function.ReadData, CjT188DataIdentifier.MeterData, serial, cancellationToken);
    }

    /// <summary>Opens or closes the valve; the reply carries the status after the command.</summary>
    public Task<MeterResult<CjT188Reply>> ControlValveAsync(CjT188MeterType meterType, MeterAddress address, bool open, CancellationToken cancellationToken)
    {
        var serial = _serial++;
        var request = new byte[CjT188Framer.Overhead + 4 + _line.PreambleLength];
        int length = CjT188Request.EncodeValveControl(request, meterType, address, open, _order, serial, _line.PreambleLength);
        return ExchangeAsync(request.AsMemory(0, length), address, CjT188Function.WriteData, CjT188DataIdentifier.ValveControl, serial, cancellationToken);
    }

    /// <summary>Reads the type and address of the only meter on the line.</summary>
    public Task<MeterResult<CjT188Reply>> ReadAddressAsync(CancellationToken cancellationToken)
    {
        var serial = _serial++;
        var request = new byte[CjT188Framer.Overhead + 3 + _line.PreambleLength];
        int length = CjT188Request.EncodeReadAddress(request, _order, serial, _line.PreambleLength);
        return ExchangeAsync(request.AsMemory(0, length), MeterAddress.Wildcard(CjT188Framer.AddressLength), CjT188Function.ReadAddress,
            CjT188DataIdentifier.Address, serial, cancellationToken);
    }

    public void Dispose() => _line.Dispose();

    private async Task<MeterResult<CjT188Reply>> ExchangeAsync(
        ReadOnlyMemory<byte> request, MeterAddress address, CjT188Function function, ushort identifier, byte serial, CancellationToken cancellationToken)
    {
        CjT188Reply? answer = null;
        var result = await _line.ExchangeAsync(request, Judge, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            return MeterResult<CjT188Reply>.Failed(result.Failure, result.Reason);
        return answer!.Kind == CjT188ReplyKind.Abnormal
            ? MeterResult<CjT188Reply>.Failed(MeterFailure.Refused, $"the meter answered abnormally ({answer.Control}): {answer.Status}")
            : MeterResult<CjT188Reply>.Success(answer);

        MeterFrameVerdict Judge(ReadOnlyMemory<byte> received)
        {
            var span = received.Span;
            var frame = CjT188Framer.Decode(span);
            switch (frame.Status)
            {
                case MeterDecodeStatus.NeedMoreData:
                    return MeterFrameVerdict.NeedMoreData;
                case MeterDecodeStatus.Malformed:
                    return MeterFrameVerdict.Skip(1, frame.ToString());
            }

            if (!frame.Control.IsResponse)
                return MeterFrameVerdict.Skip(frame.Length, $"a request (control {frame.Control.Value:X2}H), e.g. the echo of ours");
            if (!address.Matches(frame.Address) || frame.Control.Function != function)
                return MeterFrameVerdict.Skip(frame.Length, $"a frame from meter {frame.Address} with control {frame.Control.Value:X2}H, not the answer of {address}");
            if (!CjT188Reply.TryDecode(frame, span, _order, out var reply, out var reason))
                return MeterFrameVerdict.Skip(frame.Length, reason);
            if (reply.Serial != serial || (reply.Kind != CjT188ReplyKind.Abnormal && reply.Identifier != identifier))
                return MeterFrameVerdict.Skip(frame.Length, $"a reply to another request: DI {reply.Identifier:X4}H, SER {reply.Serial} (asked DI {identifier:X4}H, SER {serial}; check the DI byte order)");
            answer = reply;
            return MeterFrameVerdict.Accept(frame.Length);
        }
    }
}
