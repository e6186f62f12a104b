namespace CivicEdge.Protocols.MBus;

/// <summary>How the data field of a record is to be read beyond its DIF coding.</summary>
internal enum MbusVifMeaning
{
    Numeric,
    TimePoint,
    PlainText,
    ManufacturerSpecific,
    Reserved,
}
