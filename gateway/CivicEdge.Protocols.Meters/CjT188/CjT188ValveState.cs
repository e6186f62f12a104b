namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>Bits D1 D0 of status byte ST0 (CJ/T 188-2004 Table 5).</summary>
public enum CjT188ValveState : byte
{
    Open = 0b00,
    Closed = 0b01,

    /// <summary>10: not defined by the standard; reported as found, not mapped to a guess.</summary>
    Undefined = 0b10,

    Abnormal = 0b11,
}
