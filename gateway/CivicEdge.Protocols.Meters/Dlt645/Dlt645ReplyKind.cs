namespace CivicEdge.Protocols.Meters.Dlt645;

public enum Dlt645ReplyKind
{
    /// <summary>A normal reply to read data: identifier and value bytes.</summary>
    Data,

    /// <summary>A reply to read address: the meter's address.</summary>
    Address,

    /// <summary>An abnormal reply: the error byte.</summary>
    Error,

    /// <summary>A normal reply without data, e.g. to write data.</summary>
    Acknowledgement,
}
