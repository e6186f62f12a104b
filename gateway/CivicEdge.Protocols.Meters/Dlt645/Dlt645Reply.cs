using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>A meter's answer, decoded from a complete frame (DL/T 645-2007 §6; 1997 §5).</summary>
public sealed class Dlt645Reply
{
    private Dlt645Reply(
        Dlt645ReplyKind kind, MeterAddress address, Dlt645Control control, uint identifier, byte[] value, Dlt645ErrorFlags errors, byte? sequence = null)
    {
        Sequence = sequence;
        Kind = kind;
        Address = address;
        Control = control;
        Identifier = identifier;
        Value = value;
        Errors = errors;
    }

    public Dlt645ReplyKind Kind { get; }

    /// <summary>The address of the meter that answered.</summary>
    public MeterAddress Address { get; }

    public Dlt645Control Control { get; }

    /// <summary>Data: the identifier as printed (DI3..DI0 for 2007, DI1 DI0 for 1997).</summary>
    public uint Identifier { get; }

    /// <summary>Data: the value bytes after the identifier, offset removed, least significant first.</summary>
    public byte[] Value { get; }

    /// <summary>2007 read follow-up reply (12H): the frame sequence number SEQ after the data (§6.3).</summary>
    public byte? Sequence { get; }

    /// <summary>Error: what the meter reports.</summary>
    public Dlt645ErrorFlags Errors { get; }

    /// <summary>Decodes the reply in <paramref name="frame"/>; false with a reason when it is a request or its data field does not fit its function.</summary>
    public static bool TryDecode(
        Dlt645Frame frame, ReadOnlySpan<byte> received, Dlt645Version version,
        [NotNullWhen(true)] out Dlt645Reply? reply, [NotNullWhen(false)] out string? reason)
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
            // 2007 §6.2 and 1997 §5.1: the abnormal reply carries one error information byte.
            if (data.Length != 1)
            {
                reason = $"expected 1 error byte in the abnormal reply {control.Value:X2}H, found {data.Length} bytes";
                return false;
            }

            reply = new Dlt645Reply(Dlt645ReplyKind.Error, frame.Address, control, 0, [], (Dlt645ErrorFlags)data[0]);
            reason = null;
            return true;
        }

        bool isRead = version == Dlt645Version.V2007
            ? control.Function is Dlt645Function.ReadData or Dlt645Function.ReadFollowUp
            : control.Function is Dlt645Function.ReadData1997 or Dlt645Function.ReadFollowUp1997;
        if (isRead)
        {
            int idLength = version == Dlt645Version.V2007 ? 4 : 2;
            if (data.Length < idLength)
            {
                reason = $"expected a {idLength}-byte data identifier in the read reply, found {data.Length} bytes";
                return false;
            }

            uint identifier = idLength == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt16LittleEndian(data);
            if (control.Function == Dlt645Function.ReadFollowUp)
            {
                // §6.3: a 2007 follow-up reply ends with its frame sequence number, which is not part of the value
                if (data.Length < idLength + 1)
                {
                    reason = $"expected DI and the sequence number SEQ in the follow-up reply, found {data.Length} bytes";
                    return false;
                }

                reply = new Dlt645Reply(Dlt645ReplyKind.Data, frame.Address, control, identifier, data[idLength..^1], Dlt645ErrorFlags.None, data[^1]);
                reason = null;
                return true;
            }

            reply = new Dlt645Reply(Dlt645ReplyKind.Data, frame.Address, control, identifier, data[idLength..], Dlt645ErrorFlags.None);
            reason = null;
            return true;
        }

        if (control.Function == Dlt645Function.ReadAddress && version == Dlt645Version.V2007)
        {
            // §6.8: the reply repeats the address in its data field
            if (data.Length != Dlt645Framer.AddressLength)
            {
                reason = $"expected the 6-byte address in the read address reply, found {data.Length} bytes";
                return false;
            }

            if (!MeterAddress.TryRead(data, out var address, out var addressReason))
            {
                reason = $"in the read address reply: {addressReason}";
                return false;
            }

            reply = new Dlt645Reply(Dlt645ReplyKind.Address, address, control, 0, [], Dlt645ErrorFlags.None);
            reason = null;
            return true;
        }

        reply = new Dlt645Reply(Dlt645ReplyKind.Acknowledgement, frame.Address, control, 0, data, Dlt645ErrorFlags.None);
        reason = null;
        return true;
    }

    /// <summary>Decodes the value of a data reply with the catalogued format of its identifier.</summary>
    public bool TryReadValue(Dlt645Version version, out Dlt645DataItem? item, out decimal value, [NotNullWhen(false)] out string? reason)
    {
        value = 0;
        item = null;
        if (Kind != Dlt645ReplyKind.Data)
        {
            reason = $"expected a data reply, found {Kind}";
            return false;
        }

        bool known = version == Dlt645Version.V2007
            ? Dlt645DataCatalog.TryFind2007(Identifier, out item)
            : Dlt645DataCatalog.TryFind1997((ushort)Identifier, out item);
        if (!known || item is null)
        {
            reason = $"no data format is known for identifier {Identifier:X8}; its {Value.Length} bytes are kept raw";
            return false;
        }

        return item.TryDecode(Value, out value, out reason);
    }

    /// <summary>Writes a normal read data reply, as a meter sends it: DI then the value bytes (§6.2).</summary>
    public static int EncodeData(
        Span<byte> destination, MeterAddress address, Dlt645Version version, uint identifier, ReadOnlySpan<byte> value,
        int preambleLength = Dlt645Framer.DefaultPreambleLength)
    {
        int idLength = version == Dlt645Version.V2007 ? 4 : 2;
        Span<byte> data = stackalloc byte[idLength + value.Length];
        if (idLength == 4)
            BinaryPrimitives.WriteUInt32LittleEndian(data, identifier);
        else
            BinaryPrimitives.WriteUInt16LittleEndian(data, checked((ushort)identifier));
        value.CopyTo(data[idLength..]);
        var function = version == Dlt645Version.V2007 ? Dlt645Function.ReadData : Dlt645Function.ReadData1997;
        return Dlt645Framer.Encode(destination, address, Dlt645Control.Response(function), data, preambleLength);
    }

    /// <summary>Writes an abnormal reply carrying the error byte.</summary>
    public static int EncodeError(
        Span<byte> destination, MeterAddress address, Dlt645Function function, Dlt645ErrorFlags errors,
        int preambleLength = Dlt645Framer.DefaultPreambleLength) =>
        Dlt645Framer.Encode(destination, address, Dlt645Control.Abnormal(function), [(byte)errors], preambleLength);

    /// <summary>Writes the reply to read address: the address in the address field and again in the data (§6.8).</summary>
    public static int EncodeAddress(Span<byte> destination, MeterAddress address, int preambleLength = Dlt645Framer.DefaultPreambleLength)
    {
        Span<byte> data = stackalloc byte[Dlt645Framer.AddressLength];
        address.WriteTo(data);
        return Dlt645Framer.Encode(destination, address, Dlt645Control.Response(Dlt645Function.ReadAddress), data, preambleLength);
    }
}
