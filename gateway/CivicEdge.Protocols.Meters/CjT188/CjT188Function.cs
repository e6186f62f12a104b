namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>The function bits D5..D0 of the control code (CJ/T 188-2004 §5.3.4).</summary>
public enum CjT188Function : byte
{
    ReadData = 0x01,
    ReadAddress = 0x03,
    WriteData = 0x04,
    ReadKeyVersion = 0x09,
    WriteAddress = 0x15,
    WriteMeterSynchronisationData = 0x16,
}
