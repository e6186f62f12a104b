namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>The unit codes of CJ/T 188-2004 Appendix (unit table) that follow each value.</summary>
public enum CjT188Unit : byte
{
    Joule = 0x01,
    WattHour = 0x02,
    KilowattHour = 0x05,
    MegawattHour = 0x08,
    HundredMegawattHours = 0x0A,
    Kilojoule = 0x0B,
    Megajoule = 0x0E,
    Gigajoule = 0x11,
    HundredGigajoules = 0x13,
    Watt = 0x14,
    Kilowatt = 0x17,
    Megawatt = 0x1A,
    Litre = 0x29,
    CubicMetre = 0x2C,
    LitrePerHour = 0x32,
    CubicMetrePerHour = 0x35,
}
