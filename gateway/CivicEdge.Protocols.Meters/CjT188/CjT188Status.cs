namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// The two status bytes ST0 ST1 (CJ/T 188-2004 Table 5): ST0 D1 D0 valve, D2 battery undervoltage; the other bits of
/// ST0 and all of ST1 are the manufacturer's and are kept raw.
/// </summary>
public readonly record struct CjT188Status(byte St0, byte St1)
{
    public CjT188ValveState Valve => (CjT188ValveState)(St0 & 0b11);

    public bool BatteryLow => (St0 & 0b100) != 0;

    public override string ToString() => $"valve {Valve}, battery {(BatteryLow ? "low" : "normal")}, ST {St0:X2} {St1:X2}";
}
