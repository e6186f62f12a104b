namespace CivicEdge.Protocols.MBus;

/// <summary>
/// One data record of a variable data structure (EN 13757-3 §6), decoded: what it measures, in which unit, and the value
/// scaled by the VIF's decimal exponent. <see cref="Raw"/> keeps the data field as sent, so nothing is lost.
/// </summary>
public sealed record MbusDataRecord(
    int Offset,
    MbusFunction Function,
    long StorageNumber,
    int Tariff,
    int Subunit,
    string Quantity,
    string Unit,
    MbusValueKind Kind,
    double Value,
    string? Text,
    ReadOnlyMemory<byte> Raw)
{
    /// <summary>The DIF, DIFEs, VIF and VIFEs as sent.</summary>
    public ReadOnlyMemory<byte> Header { get; init; }

    /// <summary>Descriptions of combinable VIFEs (EN 13757-3 Table 15) the record carried, e.g. "per hour".</summary>
    public IReadOnlyList<string> Qualifiers { get; init; } = [];
}
