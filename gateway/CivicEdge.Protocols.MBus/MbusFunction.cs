namespace CivicEdge.Protocols.MBus;

/// <summary>The function field, DIF bits 5–4 (EN 13757-3 §6.3.2 Table 5).</summary>
public enum MbusFunction
{
    Instantaneous = 0,
    Maximum = 1,
    Minimum = 2,
    ValueDuringError = 3,

    /// <summary>Not a DIF function: the record is DIF 0F or 1F, manufacturer-specific data to the end.</summary>
    ManufacturerSpecific = 4,
}
