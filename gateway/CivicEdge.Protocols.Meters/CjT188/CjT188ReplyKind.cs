namespace CivicEdge.Protocols.Meters.CjT188;

public enum CjT188ReplyKind
{
    /// <summary>A normal reply to read data: identifier, serial and payload.</summary>
    Data,

    /// <summary>A reply to read address: the address is the frame's own.</summary>
    Address,

    /// <summary>A normal reply to write data (e.g. valve control): identifier, serial and status.</summary>
    WriteAcknowledgement,

    /// <summary>An abnormal reply: serial and status.</summary>
    Abnormal,
}
