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
}
