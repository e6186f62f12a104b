namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>The error information byte of an abnormal reply (DL/T 645-2007 Table 4; bit 0 and 1 also in 1997).</summary>
[Flags]
public enum Dlt645ErrorFlags : byte
{
    None = 0,
    OtherError = 0x01,
    NoRequestedData = 0x02,
    Unauthorized = 0x04,
    BaudRateCannotChange = 0x08,
    TooManyYearlyTimeZones = 0x10,
    TooManyDailyTimeSlots = 0x20,
    TooManyTariffs = 0x40,
}
