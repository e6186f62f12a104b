namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Where framing can go on after the bytes at the front were rejected (<see cref="ModbusRtuFramer.ResynchroniseResponse"/>,
/// <see cref="ModbusRtuFramer.ResynchroniseRequest"/>).
/// </summary>
/// <param name="Skipped">
/// Bytes to drop from the front. Equal to the bytes given when no offset can start a frame; then all of them are garbage.
/// </param>
/// <param name="Frame">
/// The frame at offset <paramref name="Skipped"/>: complete (its CRC matched), or need-more-data when the best candidate
/// is a plausible beginning that has not fully arrived. Offsets and lengths count from <paramref name="Skipped"/>.
/// </param>
public readonly record struct ModbusRtuResync(int Skipped, ModbusRtuFrame Frame)
{
    /// <summary>Whether a frame with a matching CRC was found after the skipped bytes.</summary>
    public bool Found => Frame.Status == ModbusDecodeStatus.Complete;
}
