namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>The function bits D4..D0 of the control code (DL/T 645-2007 §4.1.3; 1997 §4.4 for the 1997 codes).</summary>
public enum Dlt645Function : byte
{
    /// <summary>1997: read data with a 2-byte identifier.</summary>
    ReadData1997 = 0x01,

    /// <summary>1997: read a follow-up frame.</summary>
    ReadFollowUp1997 = 0x02,

    /// <summary>1997: write data.</summary>
    WriteData1997 = 0x04,

    /// <summary>Broadcast time synchronisation (both editions); meters do not answer.</summary>
    BroadcastTime = 0x08,

    /// <summary>1997: write the communication address.</summary>
    WriteAddress1997 = 0x0A,

    ReadData = 0x11,
    ReadFollowUp = 0x12,
    ReadAddress = 0x13,
    WriteData = 0x14,
    WriteAddress = 0x15,
    Freeze = 0x16,
    ChangeBaudRate = 0x17,
    ChangePassword = 0x18,
    ClearMaximumDemand = 0x19,
    ClearMeter = 0x1A,
    ClearEvents = 0x1B,
    Control = 0x1C,
}
