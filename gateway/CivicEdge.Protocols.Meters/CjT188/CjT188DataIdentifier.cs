namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>The data identifiers this codec speaks (CJ/T 188-2004 Table 4 and Table 6), as the standard prints them.</summary>
public static class CjT188DataIdentifier
{
    /// <summary>Read meter data: cumulative flow (or heat), settlement-date value, real time, status.</summary>
    public const ushort MeterData = 0x901F;

    /// <summary>Read address.</summary>
    public const ushort Address = 0x810A;

    /// <summary>Write data: valve control.</summary>
    public const ushort ValveControl = 0xA017;
}
