namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>The edition of DL/T 645 a meter speaks: they share the frame and differ in control codes and data identifiers.</summary>
public enum Dlt645Version
{
    /// <summary>DL/T 645-2007: 4-byte data identifiers DI3..DI0, read data 11H.</summary>
    V2007,

    /// <summary>DL/T 645-1997: 2-byte data identifiers DI1 DI0, read data 01H.</summary>
    V1997,
}
