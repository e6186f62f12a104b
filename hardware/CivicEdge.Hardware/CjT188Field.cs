namespace CivicEdge.Hardware;

/// <summary>A field of the answer to read meter data (DI 901FH) of a water or gas meter (CJ/T 188-2004 Table 4 and Table 5).</summary>
public enum CjT188Field
{
    /// <summary>Current cumulative flow, in the unit the meter sends with it.</summary>
    CurrentFlow,

    /// <summary>Cumulative flow at the last settlement date.</summary>
    SettlementFlow,

    /// <summary>ST0 D1 D0: 0 open, 1 closed, 3 abnormal.</summary>
    Valve,

    /// <summary>ST0 D2: 1 when the battery is low.</summary>
    BatteryLow,

    /// <summary>The whole status byte ST0, for the manufacturer's bits.</summary>
    Status0,

    /// <summary>The whole status byte ST1, which is the manufacturer's.</summary>
    Status1,
}
