using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>The requests a master sends (CJ/T 188-2004 §6), written as whole frames.</summary>
public static class CjT188Request
{
    /// <summary>The valve command byte of write data A017H: open.</summary>
    public const byte OpenValve = 0x55;

    /// <summary>The valve command byte of write data A017H: close.</summary>
    public const byte CloseValve = 0x99;

    /// <summary>Read meter data (C = 01H, DI 901FH).</summary>
    public static int EncodeReadMeterData(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, CjT188IdentifierOrder order, byte serial = 0,
        int preambleLength = CjT188Framer.DefaultPreambleLength) =>
        CjT188Framer.Encode(destination, meterType, address, CjT188Control.Request(CjT188Function.ReadData), CjT188DataIdentifier.MeterData, serial, [], order, preambleLength);

    /// <summary>Read address (C = 03H, DI 810AH) to the wildcard address and type AAH: only for a lone meter on the line.</summary>
    public static int EncodeReadAddress(
        Span<byte> destination, CjT188IdentifierOrder order, byte serial = 0, int preambleLength = CjT188Framer.DefaultPreambleLength) =>
        CjT188Framer.Encode(
            destination, CjT188MeterType.Any, MeterAddress.Wildcard(CjT188Framer.AddressLength), CjT188Control.Request(CjT188Function.ReadAddress),
            CjT188DataIdentifier.Address, serial, [], order, preambleLength);

    /// <summary>Valve control (C = 04H, DI A017H): one byte, 55H open or 99H close.</summary>
    public static int EncodeValveControl(
        Span<byte> destination, CjT188MeterType meterType, MeterAddress address, bool open, CjT188IdentifierOrder order, byte serial = 0,
        int preambleLength = CjT188Framer.DefaultPreambleLength) =>
        CjT188Framer.Encode(
            destination, meterType, address, CjT188Control.Request(CjT188Function.WriteData), CjT188DataIdentifier.ValveControl, serial,
            [open ? OpenValve : CloseValve], order, preambleLength);

    /// <summary>Reads a valve control request, as a meter or simulator receives it.</summary>
    public static bool TryDecodeValveControl(
        CjT188Frame frame, ReadOnlySpan<byte> received, CjT188IdentifierOrder order, out bool open, out byte serial, [NotNullWhen(false)] out string? reason)
    {
        if (frame.Status != MeterDecodeStatus.Complete)
            throw new ArgumentException($"Only a complete frame holds a request; this one is {frame.Status}.", nameof(frame));
        open = false;
        if (!frame.TryReadIdentifier(received, order, out var identifier, out serial) || frame.Control.IsResponse
            || frame.Control.Function != CjT188Function.WriteData || identifier != CjT188DataIdentifier.ValveControl)
        {
            reason = $"expected valve control (control 04H, DI A017H), found control {frame.Control.Value:X2}H and DI {identifier:X4}H";
            return false;
        }

        var data = frame.Data(received);
        if (data.Length != 4 || data[3] is not (OpenValve or CloseValve))
        {
            reason = data.Length != 4
                ? $"expected one command byte after DI and SER in valve control, found {data.Length - 3}"
                : $"expected the valve command 55H (open) or 99H (close), found {data[3]:X2}H";
            return false;
        }

        open = data[3] == OpenValve;
        reason = null;
        return true;
    }
}
