using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>A meter's answer, decoded from a complete frame (CJ/T 188-2004 §6).</summary>
public sealed class CjT188Reply
{
    private CjT188Reply(CjT188ReplyKind kind, CjT188Frame frame, ushort identifier, byte serial, byte[] payload, CjT188Status? status)
    {
        Kind = kind;
        MeterType = frame.MeterType;
        Address = frame.Address;
        Control = frame.Control;
        Identifier = identifier;
        Serial = serial;
        Payload = payload;
        Status = status;
    }

    public CjT188ReplyKind Kind { get; }

    public CjT188MeterType MeterType { get; }

    public MeterAddress Address { get; }

    public CjT188Control Control { get; }

    /// <summary>The identifier as printed (e.g. 901FH); 0 in an abnormal reply without one.</summary>
    public ushort Identifier { get; }

    /// <summary>SER, echoed from the request.</summary>
    public byte Serial { get; }

    /// <summary>The bytes after DI and SER.</summary>
    public byte[] Payload { get; }

    /// <summary>ST0 ST1 of a write acknowledgement or abnormal reply.</summary>
    public CjT188Status? Status { get; }

    public static bool TryDecode(
        CjT188Frame frame, ReadOnlySpan<byte> received, CjT188IdentifierOrder order,
        [NotNullWhen(true)] out CjT188Reply? reply, [NotNullWhen(false)] out string? reason)
    {
        if (frame.Status != MeterDecodeStatus.Complete)
            throw new ArgumentException($"Only a complete frame holds a reply; this one is {frame.Status}.", nameof(frame));
        reply = null;
        var control = frame.Control;
        if (!control.IsResponse)
        {
            reason = $"expected a reply (control bit D7 set), found the request control code {control.Value:X2}H";
            return false;
        }

        var data = frame.Data(received);
        if (control.IsAbnormal)
        {
            // The abnormal reply carries SER and ST0 ST1; some meters keep DI in front, which is read when present.
            if (data.Length == 3)
            {
                reply = new CjT188Reply(CjT188ReplyKind.Abnormal, frame, 0, data[0], [], new CjT188Status(data[1], data[2]));
                reason = null;
                return true;
            }

            if (data.Length == 5 && frame.TryReadIdentifier(received, order, out var abnormalId, out var abnormalSerial))
            {
                reply = new CjT188Reply(CjT188ReplyKind.Abnormal, frame, abnormalId, abnormalSerial, [], new CjT188Status(data[3], data[4]));
                reason = null;
                return true;
            }

            reason = $"expected SER and two status bytes (L = 03H, or 05H with DI) in the abnormal reply {control.Value:X2}H, found L = {data.Length:X2}H";
            return false;
        }

        if (!frame.TryReadIdentifier(received, order, out var identifier, out var serial))
        {
            reason = $"expected DI and SER (3 bytes) in the reply {control.Value:X2}H, found {data.Length} bytes";
            return false;
        }

        var payload = data[3..].ToArray();
        switch (control.Function)
        {
            case CjT188Function.ReadAddress:
                if (identifier != CjT188DataIdentifier.Address || payload.Length != 0)
                {
                    reason = $"expected DI 810AH and no data in the read address reply, found DI {identifier:X4}H and {payload.Length} data bytes (check the meter's DI byte order)";
                    return false;
                }

                reply = new CjT188Reply(CjT188ReplyKind.Address, frame, identifier, serial, payload, null);
                break;

            case CjT188Function.WriteData:
                if (payload.Length != 2)
                {
                    reason = $"expected ST0 ST1 after DI and SER in the write reply, found {payload.Length} bytes";
                    return false;
                }

                reply = new CjT188Reply(CjT188ReplyKind.WriteAcknowledgement, frame, identifier, serial, payload, new CjT188Status(payload[0], payload[1]));
                break;

            default:
                reply = new CjT188Reply(CjT188ReplyKind.Data, frame, identifier, serial, payload, null);
                break;
        }

        reason = null;
        return true;
    }

    /// <summary>Writes the reply to read meter data of a water or gas meter, as the meter sends it.</summary>
    public static int EncodeMeterData(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, byte serial, CjT188MeterData data, CjT188IdentifierOrder order,
        int preambleLength = CjT188Framer.DefaultPreambleLength)
    {
        ArgumentNullException.ThrowIfNull(data);
        Span<byte> payload = stackalloc byte[CjT188MeterData.Length];
        data.Encode(payload);
        return CjT188Framer.Encode(destination, meterType, address, CjT188Control.Response(CjT188Function.ReadData), CjT188DataIdentifier.MeterData, serial, payload, order, preambleLength);
    }

    /// <summary>Writes the reply to read meter data of a heat meter.</summary>
    public static int EncodeHeatMeterData(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, byte serial, CjT188HeatMeterData data, CjT188IdentifierOrder order,
        int preambleLength = CjT188Framer.DefaultPreambleLength)
    {
        ArgumentNullException.ThrowIfNull(data);
        Span<byte> payload = stackalloc byte[CjT188HeatMeterData.Length];
        data.Encode(payload);
        return CjT188Framer.Encode(destination, meterType, address, CjT188Control.Response(CjT188Function.ReadData), CjT188DataIdentifier.MeterData, serial, payload, order, preambleLength);
    }

    /// <summary>Writes the reply to valve control: DI, SER and the status after the valve moved.</summary>
    public static int EncodeValveStatus(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, byte serial, CjT188Status status, CjT188IdentifierOrder order,
        int preambleLength = CjT188Framer.DefaultPreambleLength) =>
        CjT188Framer.Encode(destination, meterType, address, CjT188Control.Response(CjT188Function.WriteData), CjT188DataIdentifier.ValveControl, serial,
            [status.St0, status.St1], order, preambleLength);

    /// <summary>Writes an abnormal reply: SER and the status.</summary>
    public static int EncodeAbnormal(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, CjT188Function function, byte serial, CjT188Status status,
        int preambleLength = CjT188Framer.DefaultPreambleLength) =>
        CjT188Framer.Encode(destination, meterType, address, CjT188Control.Abnormal(function), [serial, status.St0, status.St1], preambleLength);
}
