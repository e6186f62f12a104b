namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// Where a battery node sends its periodic report (over its own radio link: NB-IoT, LTE-M, LoRaWAN). The uplink encodes
/// the reading in its own contract; the node only decides when.
/// </summary>
public interface IMeterUplink
{
    /// <summary>Sends one reading; false when it did not leave (no coverage), and the node tries again on its next wake.</summary>
    bool Send(MeterState state, int flowLitresPerHour);
}
