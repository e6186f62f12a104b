namespace CivicEdge.Protocols.MBus;

/// <summary>
/// The fixed 12-byte data header of a variable data structure (EN 13757-3 §5.4, CI 72) or the corresponding fields of
/// a fixed data structure: identification number, manufacturer, version, medium, access number, status, signature.
/// <see cref="Identification"/> is −1 when the meter's identification field is not BCD; a short header (CI 7A) has
/// no identification (0) and no manufacturer ("").
/// </summary>
public sealed record MbusTelegramHeader(
    long Identification,
    string Manufacturer,
    byte Version,
    byte Medium,
    byte AccessNumber,
    byte Status,
    ushort Signature)
{
    /// <summary>Status bits 0–1 (EN 13757-3 Table 4): 0 no error, 1 application busy, 2 any application error, 3 abnormal condition.</summary>
    public int ApplicationStatus => Status & 0x03;

    public bool PowerLow => (Status & 0x04) != 0;

    public bool PermanentError => (Status & 0x08) != 0;

    public bool TemporaryError => (Status & 0x10) != 0;
}
