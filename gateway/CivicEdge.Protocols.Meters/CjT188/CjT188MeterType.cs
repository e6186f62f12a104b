namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>The meter type byte T (CJ/T 188-2004 Table 2).</summary>
public enum CjT188MeterType : byte
{
    ColdWater = 0x10,
    HotWater = 0x11,
    DrinkingWater = 0x12,
    ReclaimedWater = 0x13,

    /// <summary>Heat meter counting heat.</summary>
    Heat = 0x20,

    /// <summary>Heat meter counting cooling.</summary>
    Cooling = 0x21,

    Gas = 0x30,

    /// <summary>Electricity meter (the type the standard reserves for it; such meters speak DL/T 645 for data).</summary>
    Electricity = 0x40,

    /// <summary>Any meter type: a read address request to a lone meter of unknown type.</summary>
    Any = 0xAA,
}
