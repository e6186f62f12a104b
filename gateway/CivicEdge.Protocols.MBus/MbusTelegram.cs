namespace CivicEdge.Protocols.MBus;

/// <summary>
/// The application data of one RSP_UD telegram, decoded as far as it is sound. When <see cref="Error"/> is set the
/// records before <see cref="ErrorOffset"/> are sound and nothing after it was guessed.
/// </summary>
public sealed record MbusTelegram(
    byte ControlInformation,
    MbusTelegramHeader? Header,
    IReadOnlyList<MbusDataRecord> Records,
    bool MoreRecordsFollow,
    string? Error,
    int ErrorOffset)
{
    /// <summary>For CI 70 (EN 13757-3 §9): the error code the slave reported, e.g. 8 "application busy".</summary>
    public int? ApplicationErrorCode { get; init; }

    public bool IsComplete => Error is null;
}
